package org.apache.dubbo.test;

/** Checked exception declared by {@link FailService#throwChecked(String)}; carries a numeric code. */
public class BusinessException extends Exception {

    private static final long serialVersionUID = 1L;

    private int code;

    public BusinessException() {
        super();
    }

    public BusinessException(String message) {
        super(message);
    }

    public BusinessException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int getCode() {
        return code;
    }

    public void setCode(int code) {
        this.code = code;
    }
}
