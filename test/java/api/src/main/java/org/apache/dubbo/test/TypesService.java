package org.apache.dubbo.test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every method returns its argument unchanged, so each Java type can be round-tripped. */
public interface TypesService {

    int echoInt(int value);

    long echoLong(long value);

    Long echoLongBoxed(Long value);

    double echoDouble(double value);

    float echoFloat(float value);

    boolean echoBoolean(boolean value);

    String echoString(String value);

    Date echoDate(Date value);

    BigDecimal echoBigDecimal(BigDecimal value);

    BigInteger echoBigInteger(BigInteger value);

    Color echoEnum(Color value);

    List<String> echoList(List<String> value);

    Map<String, Object> echoMap(Map<String, Object> value);

    Set<Integer> echoSet(Set<Integer> value);

    byte[] echoBytes(byte[] value);

    Order echoNested(Order value);

    /** Returns its argument, so a null argument comes back as null. */
    String echoNull(String value);

    Object returnNull();

    int[] echoIntArray(int[] value);

    String[] echoStringArray(String[] value);

    LocalDateTime echoLocalDateTime(LocalDateTime value);

    /** Returns "int:" + value. */
    String overloaded(int value);

    /** Returns "String:" + value. */
    String overloaded(String value);

    /** Returns "int,String:" + number + "," + text. */
    String overloaded(int number, String text);

    /** Returns "long:" + value. */
    String overloaded(long value);
}
