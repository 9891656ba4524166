package org.apache.dubbo.test;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

public class Item implements Serializable {

    private static final long serialVersionUID = 1L;

    private String sku;
    private int qty;
    private BigDecimal price;

    public Item() {
    }

    public Item(String sku, int qty, BigDecimal price) {
        this.sku = sku;
        this.qty = qty;
        this.price = price;
    }

    public String getSku() {
        return sku;
    }

    public void setSku(String sku) {
        this.sku = sku;
    }

    public int getQty() {
        return qty;
    }

    public void setQty(int qty) {
        this.qty = qty;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public void setPrice(BigDecimal price) {
        this.price = price;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Item)) {
            return false;
        }
        Item other = (Item) o;
        return qty == other.qty && Objects.equals(sku, other.sku) && Objects.equals(price, other.price);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sku, qty, price);
    }

    @Override
    public String toString() {
        return "Item{sku=" + sku + ", qty=" + qty + ", price=" + price + "}";
    }
}
