package org.apache.dubbo.test;

import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Java value types without a plain JS counterpart. Each echo method returns its argument; each
 * describe method returns what Java actually received as a canonical string
 * ("class|value", or "null"), so a test checks the Java side, not only the round trip.
 */
public interface ValueTypesService {

    Timestamp echoTimestamp(Timestamp value);

    /** "java.sql.Timestamp|epochMillis|nanos". */
    String describeTimestamp(Timestamp value);

    java.sql.Date echoSqlDate(java.sql.Date value);

    /** "java.sql.Date|epochMillis". */
    String describeSqlDate(java.sql.Date value);

    Time echoSqlTime(Time value);

    /** "java.sql.Time|epochMillis". */
    String describeSqlTime(Time value);

    Instant echoInstant(Instant value);

    /** "java.time.Instant|ISO-8601". */
    String describeInstant(Instant value);

    Duration echoDuration(Duration value);

    /** "java.time.Duration|ISO-8601". */
    String describeDuration(Duration value);

    UUID echoUuid(UUID value);

    /** "java.util.UUID|text". */
    String describeUuid(UUID value);

    char[] echoChars(char[] value);

    /** "[C|text". */
    String describeChars(char[] value);

    /** Optional is not Serializable: what Dubbo makes of it is what this method shows. */
    Optional<String> echoOptional(Optional<String> value);

    /** "java.util.Optional|Optional[text]" (or Optional.empty). */
    String describeOptional(Optional<String> value);

    Event echoEvent(Event value);

    /** Each field described as above, joined with ";". */
    String describeEvent(Event value);
}
