package org.apache.zookeeper.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Replacement for the ZooKeeper 3.4.13 client's host provider, loaded instead of the original
 * because provider27.jar comes before target/lib/* on the classpath.
 *
 * <p>Why: the 3.4 client derives the host name of an unresolved address from
 * {@code InetSocketAddress.toString()}. Since JDK 14 that text reads "127.0.0.1/&lt;unresolved&gt;:2181",
 * the lookup fails and the client loops forever on UnresolvedAddressException, so Dubbo 2.7 with its
 * stock ZooKeeper 3.4 client cannot reach any server on JDK 17 (fixed upstream only in 3.5.8/3.6.1).
 * This class keeps the public shape of the original (the two constructors, the Resolver interface,
 * round robin with a pause after a full cycle) and reads the host with getHostString() instead.
 */
public final class StaticHostProvider implements HostProvider {

    /** Name lookup, replaceable in tests; same shape as in the 3.4 client. */
    public interface Resolver {
        InetAddress[] getAllByName(String name) throws UnknownHostException;
    }

    private final List<InetSocketAddress> servers;
    private final Resolver resolver;
    private int current = -1;
    private int lastConnected = -1;

    public StaticHostProvider(Collection<InetSocketAddress> serverAddresses) {
        this(serverAddresses, InetAddress::getAllByName);
    }

    public StaticHostProvider(Collection<InetSocketAddress> serverAddresses, Resolver resolver) {
        if (serverAddresses == null || serverAddresses.isEmpty()) {
            throw new IllegalArgumentException("A HostProvider may not be empty!");
        }
        this.resolver = resolver;
        this.servers = new ArrayList<>(serverAddresses);
        Collections.shuffle(this.servers);
    }

    @Override
    public int size() {
        return servers.size();
    }

    @Override
    public InetSocketAddress next(long spinDelay) {
        current = (current + 1) % servers.size();
        if (current == lastConnected && spinDelay > 0) {
            try {
                Thread.sleep(spinDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (lastConnected == -1) {
            // first attempt ever: no pause
            lastConnected = 0;
        }
        InetSocketAddress address = servers.get(current);
        if (!address.isUnresolved()) {
            return address;
        }
        try {
            InetAddress[] resolved = resolver.getAllByName(address.getHostString());
            if (resolved == null || resolved.length == 0) {
                return address;
            }
            InetAddress pick = resolved[(int) (Math.random() * resolved.length)];
            return new InetSocketAddress(pick, address.getPort());
        } catch (UnknownHostException e) {
            return address;
        }
    }

    @Override
    public void onConnected() {
        lastConnected = current;
    }
}
