package org.apache.dubbo.test.provider;

import java.net.InetSocketAddress;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.remoting.ChannelHandler;
import org.apache.dubbo.remoting.Client;
import org.apache.dubbo.remoting.RemotingException;
import org.apache.dubbo.remoting.RemotingServer;
import org.apache.dubbo.remoting.Transporter;
import org.apache.dubbo.remoting.transport.netty4.NettyServer;
import org.apache.dubbo.remoting.transport.netty4.NettyTransporter;

/**
 * Wraps every Transporter extension (Dubbo applies a class with a Transporter constructor as a
 * wrapper). Dubbo binds 0.0.0.0 whenever the configured host is a 127.x address; for the netty
 * transporter this wrapper opens the server socket on 127.0.0.1 instead, keeping the fixture off
 * every other interface. Clients are untouched.
 */
public class LoopbackTransporter implements Transporter {

    private final Transporter delegate;

    public LoopbackTransporter(Transporter delegate) {
        this.delegate = delegate;
    }

    @Override
    public RemotingServer bind(URL url, ChannelHandler handler) throws RemotingException {
        if (delegate instanceof NettyTransporter) {
            return new LoopbackNettyServer(url, handler);
        }
        return delegate.bind(url, handler);
    }

    @Override
    public Client connect(URL url, ChannelHandler handler) throws RemotingException {
        return delegate.connect(url, handler);
    }

    /** The stock netty server, listening on 127.0.0.1 only. */
    static final class LoopbackNettyServer extends NettyServer {

        LoopbackNettyServer(URL url, ChannelHandler handler) throws RemotingException {
            super(url, handler);
        }

        @Override
        public InetSocketAddress getBindAddress() {
            InetSocketAddress planned = super.getBindAddress();
            return new InetSocketAddress("127.0.0.1", planned.getPort());
        }
    }
}
