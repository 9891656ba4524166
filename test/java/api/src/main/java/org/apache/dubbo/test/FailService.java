package org.apache.dubbo.test;

/** Methods that always fail, each with a different kind of exception. */
public interface FailService {

    /** Throws {@link BusinessException} with this message and code 42. */
    String throwChecked(String msg) throws BusinessException;

    /** Throws {@link IllegalStateException} with this message. */
    String throwRuntime(String msg);

    /** Throws an exception whose class exists only on the provider's classpath. */
    String throwProviderOnly(String msg);
}
