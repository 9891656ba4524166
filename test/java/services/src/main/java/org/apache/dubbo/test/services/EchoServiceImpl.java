package org.apache.dubbo.test.services;

import org.apache.dubbo.test.EchoService;

public class EchoServiceImpl implements EchoService {

    @Override
    public String echo(String text) {
        return text;
    }

    @Override
    public byte[] echoBytes(byte[] data) {
        return data;
    }

    @Override
    public long sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ms;
    }

    @Override
    public void ping() {
        // nothing to do: the call itself is the test
    }
}
