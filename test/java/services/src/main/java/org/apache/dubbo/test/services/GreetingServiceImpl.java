package org.apache.dubbo.test.services;

import org.apache.dubbo.test.GreetingService;

/** Answers "PREFIX:hello NAME" so a caller can tell which export served it. */
public class GreetingServiceImpl implements GreetingService {

    private final String prefix;

    public GreetingServiceImpl(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String greet(String name) {
        return prefix + ":hello " + name;
    }
}
