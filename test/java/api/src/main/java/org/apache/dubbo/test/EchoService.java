package org.apache.dubbo.test;

/** Smallest possible service: strings, bytes, a slow call and a void call. */
public interface EchoService {

    String echo(String text);

    byte[] echoBytes(byte[] data);

    /** Sleeps {@code ms} milliseconds on the provider thread, then returns {@code ms}. */
    long sleep(long ms);

    void ping();
}
