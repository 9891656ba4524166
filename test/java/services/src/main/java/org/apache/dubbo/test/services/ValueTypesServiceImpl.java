package org.apache.dubbo.test.services;

import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.dubbo.test.Event;
import org.apache.dubbo.test.ValueTypesService;

public class ValueTypesServiceImpl implements ValueTypesService {

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text;
        if (value instanceof Timestamp) {
            Timestamp t = (Timestamp) value;
            text = t.getTime() + "|" + t.getNanos();
        } else if (value instanceof java.util.Date) {
            text = String.valueOf(((java.util.Date) value).getTime());
        } else if (value instanceof char[]) {
            text = new String((char[]) value);
        } else {
            text = value.toString();
        }
        return value.getClass().getName() + "|" + text;
    }

    @Override
    public Timestamp echoTimestamp(Timestamp value) {
        return value;
    }

    @Override
    public String describeTimestamp(Timestamp value) {
        return describe(value);
    }

    @Override
    public java.sql.Date echoSqlDate(java.sql.Date value) {
        return value;
    }

    @Override
    public String describeSqlDate(java.sql.Date value) {
        return describe(value);
    }

    @Override
    public Time echoSqlTime(Time value) {
        return value;
    }

    @Override
    public String describeSqlTime(Time value) {
        return describe(value);
    }

    @Override
    public Instant echoInstant(Instant value) {
        return value;
    }

    @Override
    public String describeInstant(Instant value) {
        return describe(value);
    }

    @Override
    public Duration echoDuration(Duration value) {
        return value;
    }

    @Override
    public String describeDuration(Duration value) {
        return describe(value);
    }

    @Override
    public UUID echoUuid(UUID value) {
        return value;
    }

    @Override
    public String describeUuid(UUID value) {
        return describe(value);
    }

    @Override
    public char[] echoChars(char[] value) {
        return value;
    }

    @Override
    public String describeChars(char[] value) {
        return describe(value);
    }

    @Override
    public Optional<String> echoOptional(Optional<String> value) {
        return value;
    }

    @Override
    public String describeOptional(Optional<String> value) {
        return describe(value);
    }

    @Override
    public Event echoEvent(Event value) {
        return value;
    }

    @Override
    public String describeEvent(Event value) {
        if (value == null) {
            return "null";
        }
        return String.join(";", describe(value.getName()), describe(value.getAt()), describe(value.getInstant()),
                describe(value.getTook()), describe(value.getId()));
    }
}
