package org.apache.dubbo.test.provider27;

/**
 * Thrown by FailService.throwProviderOnly. The class exists only in this module, so a consumer
 * can never load it and has to cope with an exception type it does not know.
 */
public class ProviderOnlyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String detail;

    public ProviderOnlyException(String message) {
        super(message);
        this.detail = "raised inside the 2.7 provider";
    }

    public String getDetail() {
        return detail;
    }
}
