package org.apache.dubbo.test;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;

public class User implements Serializable {

    private static final long serialVersionUID = 1L;

    private long id;
    private String name;
    private int age;
    private Date createdAt;
    private List<String> tags;
    private Map<String, String> attrs;
    private UserStatus status;
    private BigDecimal balance;

    public User() {
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getAge() {
        return age;
    }

    public void setAge(int age) {
        this.age = age;
    }

    public Date getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Date createdAt) {
        this.createdAt = createdAt;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public Map<String, String> getAttrs() {
        return attrs;
    }

    public void setAttrs(Map<String, String> attrs) {
        this.attrs = attrs;
    }

    public UserStatus getStatus() {
        return status;
    }

    public void setStatus(UserStatus status) {
        this.status = status;
    }

    public BigDecimal getBalance() {
        return balance;
    }

    public void setBalance(BigDecimal balance) {
        this.balance = balance;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof User)) {
            return false;
        }
        User other = (User) o;
        return id == other.id
                && age == other.age
                && Objects.equals(name, other.name)
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(tags, other.tags)
                && Objects.equals(attrs, other.attrs)
                && status == other.status
                && Objects.equals(balance, other.balance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, age, createdAt, tags, attrs, status, balance);
    }

    @Override
    public String toString() {
        return "User{id=" + id + ", name=" + name + ", age=" + age + ", status=" + status + "}";
    }
}
