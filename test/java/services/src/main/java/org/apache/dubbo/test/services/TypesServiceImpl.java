package org.apache.dubbo.test.services;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.dubbo.test.Color;
import org.apache.dubbo.test.Order;
import org.apache.dubbo.test.TypesService;

public class TypesServiceImpl implements TypesService {

    @Override
    public int echoInt(int value) {
        return value;
    }

    @Override
    public long echoLong(long value) {
        return value;
    }

    @Override
    public Long echoLongBoxed(Long value) {
        return value;
    }

    @Override
    public double echoDouble(double value) {
        return value;
    }

    @Override
    public float echoFloat(float value) {
        return value;
    }

    @Override
    public boolean echoBoolean(boolean value) {
        return value;
    }

    @Override
    public String echoString(String value) {
        return value;
    }

    @Override
    public Date echoDate(Date value) {
        return value;
    }

    @Override
    public BigDecimal echoBigDecimal(BigDecimal value) {
        return value;
    }

    @Override
    public BigInteger echoBigInteger(BigInteger value) {
        return value;
    }

    @Override
    public Color echoEnum(Color value) {
        return value;
    }

    @Override
    public List<String> echoList(List<String> value) {
        return value;
    }

    @Override
    public Map<String, Object> echoMap(Map<String, Object> value) {
        return value;
    }

    @Override
    public Set<Integer> echoSet(Set<Integer> value) {
        return value;
    }

    @Override
    public byte[] echoBytes(byte[] value) {
        return value;
    }

    @Override
    public Order echoNested(Order value) {
        return value;
    }

    @Override
    public String echoNull(String value) {
        return value;
    }

    @Override
    public Object returnNull() {
        return null;
    }

    @Override
    public int[] echoIntArray(int[] value) {
        return value;
    }

    @Override
    public String[] echoStringArray(String[] value) {
        return value;
    }

    @Override
    public LocalDateTime echoLocalDateTime(LocalDateTime value) {
        return value;
    }

    @Override
    public String overloaded(int value) {
        return "int:" + value;
    }

    @Override
    public String overloaded(String value) {
        return "String:" + value;
    }

    @Override
    public String overloaded(int number, String text) {
        return "int,String:" + number + "," + text;
    }

    @Override
    public String overloaded(long value) {
        return "long:" + value;
    }
}
