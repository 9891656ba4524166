package org.apache.dubbo.test.services;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Confirms, with a separate plain ZooKeeper session, that the nodes a provider is expected to
 * create are really there, so READY means "discoverable" and not just "exported".
 */
public final class RegistrationCheck {

    /** Path of a parent node mapped to the minimum number of children it must hold for us. */
    private final Map<String, Integer> expectedCounts = new LinkedHashMap<>();
    private final Map<String, String> expectedMarker = new LinkedHashMap<>();

    /**
     * Expects one more provider node for {@code interfaceName} whose URL names 127.0.0.1:port.
     * Several exports of one interface (versions, groups) add up.
     */
    public void expectProvider(String interfaceName, int port) {
        String path = "/dubbo/" + interfaceName + "/providers";
        expectedCounts.merge(path, 1, Integer::sum);
        expectedMarker.put(path, "127.0.0.1%3A" + port + "%2F");
    }

    /** Expects the application-level instance node /services/APP/127.0.0.1:port. */
    public void expectInstance(String app, int port) {
        String path = "/services/" + app;
        expectedCounts.put(path, 1);
        expectedMarker.put(path, "=127.0.0.1:" + port);
    }

    /** Waits until every expected node exists; returns a description of what is missing, or null. */
    public String await(String hosts, String digestAuth, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = (WatchedEvent e) -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        ZooKeeper zk = new ZooKeeper(hosts, 10_000, watcher);
        try {
            if (!connected.await(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                return "check session could not connect to " + hosts;
            }
            if (digestAuth != null) {
                zk.addAuthInfo("digest", digestAuth.getBytes(StandardCharsets.UTF_8));
            }
            Map<String, Integer> pending = new LinkedHashMap<>(expectedCounts);
            ChildWatch watch = new ChildWatch();
            String lastProblem = null;
            while (true) {
                lastProblem = null;
                for (java.util.Iterator<Map.Entry<String, Integer>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Integer> e = it.next();
                    int found = count(watch.children(zk, e.getKey()), expectedMarker.get(e.getKey()));
                    if (found >= e.getValue()) {
                        it.remove();
                    } else if (lastProblem == null) {
                        lastProblem = e.getKey() + " has " + found + " of " + e.getValue() + " expected nodes";
                    }
                }
                if (pending.isEmpty()) {
                    return null;
                }
                // Woken by the watches on the pending paths, not by a timer.
                if (!watch.awaitChange(deadline)) {
                    return pending.size() + " registrations missing, e.g. " + lastProblem;
                }
            }
        } finally {
            zk.close();
        }
    }

    private static int count(List<String> children, String marker) {
        int n = 0;
        for (String child : children) {
            boolean match = marker.startsWith("=") ? child.equals(marker.substring(1)) : child.contains(marker);
            if (match) {
                n++;
            }
        }
        return n;
    }
}
