package org.apache.dubbo.test;

/** Exported several times under different versions and groups; the reply says which one answered. */
public interface GreetingService {

    String greet(String name);
}
