package org.apache.dubbo.test.consumer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.dubbo.test.services.ChildWatch;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A plain ZooKeeper session watching /dubbo/INTERFACE/providers, so a consumer that found no
 * provider waits for the listing to change instead of retrying on a timer.
 */
final class ProviderListing implements AutoCloseable {

    private final ZooKeeper zk;
    private final ChildWatch watch = new ChildWatch();

    private ProviderListing(ZooKeeper zk) {
        this.zk = zk;
    }

    static ProviderListing open(String hosts, String digestAuth, long deadlineMillis) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(hosts, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(Math.max(1, deadlineMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            zk.close();
            return null;
        }
        if (digestAuth != null) {
            zk.addAuthInfo("digest", digestAuth.getBytes(StandardCharsets.UTF_8));
        }
        return new ProviderListing(zk);
    }

    /**
     * Blocks until the interface lists providers other than {@code seen} (any, when {@code seen} is
     * null), or the deadline. Returns the new listing, or null at the deadline.
     */
    List<String> awaitChange(String iface, List<String> seen, long deadlineMillis) throws Exception {
        String path = "/dubbo/" + iface + "/providers";
        while (true) {
            List<String> now = watch.children(zk, path);
            if (!now.isEmpty() && !now.equals(seen)) {
                return now;
            }
            if (!watch.awaitChange(deadlineMillis)) {
                return null;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
