package org.apache.dubbo.test;

public enum Color {
    RED,
    GREEN,
    BLUE
}
