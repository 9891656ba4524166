package org.apache.dubbo.test.provider;

/**
 * Thrown by FailService.throwProviderOnly. The class exists only in this module, so a consumer
 * can never load it and has to cope with an exception type it does not know.
 */
public class ProviderOnlyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String detail;

    public ProviderOnlyException(String message) {
        super(message);
        this.detail = "raised inside the Dubbo " + org.apache.dubbo.common.Version.getVersion() + " provider";
    }

    public String getDetail() {
        return detail;
    }
}
