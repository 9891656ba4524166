package org.apache.dubbo.test;

public enum UserStatus {
    ACTIVE,
    SUSPENDED,
    DELETED
}
