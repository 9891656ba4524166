package org.apache.dubbo.test.services;

import java.lang.reflect.Field;
import java.net.InetAddress;

/**
 * Makes Dubbo believe that this machine's address is 127.0.0.1.
 *
 * <p>Dubbo treats every 127.x address as "not a real host": a ProtocolConfig host of 127.0.0.1 (or
 * DUBBO_IP_TO_REGISTRY=127.0.0.1, which it rejects) is replaced by the first non-loopback interface
 * address. The fixtures must stay on loopback, so the address cache of
 * {@code org.apache.dubbo.common.utils.NetUtils} (same class name and fields in 2.7 and 3.x) is
 * filled with 127.0.0.1 before Dubbo looks it up. Registered URLs then carry 127.0.0.1.
 */
public final class LoopbackHost {

    public static final String HOST = "127.0.0.1";

    private LoopbackHost() {
    }

    public static void pin() {
        try {
            Class<?> netUtils = Class.forName("org.apache.dubbo.common.utils.NetUtils");
            set(netUtils, "LOCAL_ADDRESS", InetAddress.getByName(HOST));
            set(netUtils, "HOST_ADDRESS", HOST);
        } catch (ReflectiveOperationException | java.net.UnknownHostException e) {
            throw new IllegalStateException("cannot pin Dubbo's local address to " + HOST, e);
        }
    }

    private static void set(Class<?> type, String name, Object value) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        f.set(null, value);
    }
}
