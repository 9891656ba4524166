package org.apache.dubbo.test.provider;

import org.apache.dubbo.rpc.service.GenericException;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * Stands in for one generated interface org.apache.dubbo.test.many.ServiceNNNN. It is exported as a
 * generic service under that interface name, so no class has to be generated or loaded per name:
 * {@code echo(String)} answers "ServiceNNNN:" + argument.
 */
public class ManyService implements GenericService {

    private final String prefix;

    public ManyService(String interfaceName) {
        this.prefix = interfaceName.substring(interfaceName.lastIndexOf('.') + 1) + ":";
    }

    @Override
    public Object $invoke(String method, String[] parameterTypes, Object[] args) throws GenericException {
        if ("echo".equals(method) && args != null && args.length == 1) {
            return prefix + args[0];
        }
        throw new GenericException(new UnsupportedOperationException(
                "no method " + method + " with " + (args == null ? 0 : args.length) + " argument(s) on " + prefix));
    }
}
