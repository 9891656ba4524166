package org.apache.dubbo.test;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

public class Order implements Serializable {

    private static final long serialVersionUID = 1L;

    private String id;
    private List<Item> items;
    private Map<String, String> meta;

    public Order() {
    }

    public Order(String id, List<Item> items, Map<String, String> meta) {
        this.id = id;
        this.items = items;
        this.meta = meta;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<Item> getItems() {
        return items;
    }

    public void setItems(List<Item> items) {
        this.items = items;
    }

    public Map<String, String> getMeta() {
        return meta;
    }

    public void setMeta(Map<String, String> meta) {
        this.meta = meta;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Order)) {
            return false;
        }
        Order other = (Order) o;
        return Objects.equals(id, other.id) && Objects.equals(items, other.items) && Objects.equals(meta, other.meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, items, meta);
    }

    @Override
    public String toString() {
        return "Order{id=" + id + ", items=" + items + ", meta=" + meta + "}";
    }
}
