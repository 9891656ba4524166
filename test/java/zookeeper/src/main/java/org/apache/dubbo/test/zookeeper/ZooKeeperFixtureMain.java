package org.apache.dubbo.test.zookeeper;

import org.apache.dubbo.test.support.ParentWatch;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/** ZooKeeper's own server main, plus the watch that ends it with the test process. */
public final class ZooKeeperFixtureMain {

    private ZooKeeperFixtureMain() {
    }

    public static void main(String[] args) {
        ParentWatch.start();
        QuorumPeerMain.main(args);
    }
}
