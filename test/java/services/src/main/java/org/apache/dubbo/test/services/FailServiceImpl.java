package org.apache.dubbo.test.services;

import java.util.function.Function;

import org.apache.dubbo.test.BusinessException;
import org.apache.dubbo.test.FailService;

public class FailServiceImpl implements FailService {

    /** Code carried by every {@link BusinessException} this service throws. */
    public static final int BUSINESS_CODE = 42;

    private final Function<String, RuntimeException> providerOnly;

    /**
     * @param providerOnly makes the exception for {@link #throwProviderOnly(String)}; its class must
     *                     live in the provider module so that no consumer can load it
     */
    public FailServiceImpl(Function<String, RuntimeException> providerOnly) {
        this.providerOnly = providerOnly;
    }

    @Override
    public String throwChecked(String msg) throws BusinessException {
        throw new BusinessException(BUSINESS_CODE, msg);
    }

    @Override
    public String throwRuntime(String msg) {
        throw new IllegalStateException(msg);
    }

    @Override
    public String throwProviderOnly(String msg) {
        throw providerOnly.apply(msg);
    }
}
