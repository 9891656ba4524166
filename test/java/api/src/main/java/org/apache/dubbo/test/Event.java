package org.apache.dubbo.test;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A POJO whose fields are the value types of {@link ValueTypesService}. */
public class Event implements Serializable {

    private static final long serialVersionUID = 1L;

    private String name;
    private Timestamp at;
    private Instant instant;
    private Duration took;
    private UUID id;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Timestamp getAt() {
        return at;
    }

    public void setAt(Timestamp at) {
        this.at = at;
    }

    public Instant getInstant() {
        return instant;
    }

    public void setInstant(Instant instant) {
        this.instant = instant;
    }

    public Duration getTook() {
        return took;
    }

    public void setTook(Duration took) {
        this.took = took;
    }

    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }
}
