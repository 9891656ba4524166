package org.apache.dubbo.test.services;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Children of ZooKeeper paths read with one-shot watches, so a caller waiting for nodes to appear
 * blocks until ZooKeeper reports a change instead of polling on a timer.
 */
public final class ChildWatch implements Watcher {

    private final Semaphore changes = new Semaphore(0);

    @Override
    public void process(WatchedEvent event) {
        if (event.getType() != Event.EventType.None) {
            changes.release();
        }
    }

    /** The children of {@code path} (none when it does not exist), leaving a watch for the next change. */
    public List<String> children(ZooKeeper zk, String path) throws Exception {
        // exists() watches a missing path for its creation; getChildren() watches an existing one.
        if (zk.exists(path, this) == null) {
            return List.of();
        }
        try {
            return zk.getChildren(path, this);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /** Blocks until a watched path changed since the last call, or the deadline; false at the deadline. */
    public boolean awaitChange(long deadlineMillis) throws InterruptedException {
        long left = deadlineMillis - System.currentTimeMillis();
        if (left <= 0 || !changes.tryAcquire(left, TimeUnit.MILLISECONDS)) {
            return false;
        }
        changes.drainPermits();
        return true;
    }
}
