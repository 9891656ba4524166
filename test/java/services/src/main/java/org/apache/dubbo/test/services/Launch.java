package org.apache.dubbo.test.services;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;

/**
 * The start-up protocol both fixture providers speak with the test harness: exactly one line on
 * stdout, either {@code READY {...}} or {@code FAILED reason}; everything else goes to stderr.
 */
public final class Launch {

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_PORT_IN_USE = 3;
    public static final int EXIT_ZK_UNREACHABLE = 4;
    public static final int EXIT_START_FAILED = 5;

    private static final PrintStream STDOUT = System.out;
    private static final AtomicBoolean ANSWERED = new AtomicBoolean();
    /** Counted down once READY or FAILED has been printed: what the start-up watchdog waits for. */
    private static final CountDownLatch ANSWER = new CountDownLatch(1);
    private static final CountDownLatch STOP = new CountDownLatch(1);

    private Launch() {
    }

    /**
     * Sends stray System.out writes (from any library) to stderr, so that stdout carries only the
     * protocol line. Call first thing in main.
     */
    public static void protectStdout() {
        System.setOut(System.err);
    }

    public static long pid() {
        try {
            return ProcessHandle.current().pid();
        } catch (UnsupportedOperationException e) {
            String name = ManagementFactory.getRuntimeMXBean().getName();
            return Long.parseLong(name.substring(0, name.indexOf('@')));
        }
    }

    public static void ready(int port, String dubboVersion, int services) {
        if (ANSWERED.compareAndSet(false, true)) {
            STDOUT.println("READY {\"port\":" + port + ",\"pid\":" + pid() + ",\"dubbo\":\"" + dubboVersion
                    + "\",\"services\":" + services + "}");
            STDOUT.flush();
            ANSWER.countDown();
        }
    }

    /** Prints {@code FAILED reason} (once) and ends the JVM with {@code code} without running hooks. */
    public static void failAndExit(String reason, int code) {
        if (ANSWERED.compareAndSet(false, true)) {
            String oneLine = String.valueOf(reason).replace('\r', ' ').replace('\n', ' ');
            STDOUT.println("FAILED " + oneLine);
            STDOUT.flush();
            ANSWER.countDown();
        }
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** A short description of an exception and its root cause, for a FAILED line. */
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = t.getClass().getName() + ": " + t.getMessage();
        if (root != t) {
            text += " (cause: " + root.getClass().getName() + ": " + root.getMessage() + ")";
        }
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    /** Fails fast when the dubbo port is already bound on 127.0.0.1. */
    public static void checkPortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            failAndExit("port " + port + " is not free on 127.0.0.1: " + e.getMessage(), EXIT_PORT_IN_USE);
        }
    }

    /** Fails fast unless at least one server of the ZooKeeper connect string accepts a TCP connection. */
    public static void checkZooKeeperReachable(String hosts) {
        StringBuilder errors = new StringBuilder();
        for (String hostPort : hosts.split(",")) {
            String hp = hostPort.trim();
            int slash = hp.indexOf('/');
            if (slash >= 0) {
                hp = hp.substring(0, slash);
            }
            int colon = hp.lastIndexOf(':');
            String host = colon > 0 ? hp.substring(0, colon) : hp;
            int port = colon > 0 ? Integer.parseInt(hp.substring(colon + 1)) : 2181;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                if (probeRuok(s)) {
                    return;
                }
                errors.append(hp).append(": connected but no ZooKeeper answer; ");
            } catch (IOException e) {
                errors.append(hp).append(": ").append(e.getMessage()).append("; ");
            }
        }
        failAndExit("zookeeper unreachable at " + hosts + " (" + errors.toString().trim() + ")", EXIT_ZK_UNREACHABLE);
    }

    /**
     * Sends "ruok" and waits up to 3 s for any reaction. ZooKeeper always reacts: "imok", a "not in
     * the whitelist" text when four letter words are disabled, or at least closing the connection.
     * Only a listener that stays silent (not ZooKeeper at all) fails the probe.
     */
    private static boolean probeRuok(Socket s) {
        try {
            s.setSoTimeout(3000);
            s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getInputStream().read();
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // reset by the peer: it closed the connection, as ZooKeeper does after a command
            return true;
        }
    }

    /** Kills the JVM with a FAILED line if {@link #ready} has not been called within {@code seconds}. */
    public static void startWatchdog(int seconds) {
        Thread t = new Thread(() -> {
            try {
                if (!ANSWER.await(seconds, TimeUnit.SECONDS)) {
                    failAndExit("not ready within " + seconds + " s", EXIT_START_FAILED);
                }
            } catch (InterruptedException e) {
                // the JVM is ending anyway
            }
        }, "fixture-start-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Turns SIGTERM and SIGINT into a graceful stop: {@code stopper} runs (the Dubbo shutdown:
     * unregister, readonly events, close), then the JVM exits 0. A second signal, or a stop that takes
     * longer than {@code maxStopMs}, exits at once.
     */
    public static void exitZeroOnSignal(Runnable stopper, long maxStopMs) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> {
                if (!stopping.compareAndSet(false, true)) {
                    Runtime.getRuntime().halt(0);
                }
                Thread worker = new Thread(() -> {
                    try {
                        stopper.run();
                    } catch (Throwable e) {
                        System.err.println("error during stop: " + describe(e));
                    }
                    STOP.countDown();
                    System.exit(0);
                }, "fixture-stop");
                worker.start();
                Thread deadline = new Thread(() -> {
                    try {
                        // The stop ends the JVM itself; this only fires if it is still running by then.
                        if (!STOP.await(maxStopMs, TimeUnit.MILLISECONDS)) {
                            System.err.println("graceful stop took longer than " + maxStopMs + " ms, halting");
                            Runtime.getRuntime().halt(0);
                        }
                    } catch (InterruptedException ignored) {
                        // exiting
                    }
                }, "fixture-stop-deadline");
                deadline.setDaemon(true);
                deadline.start();
            });
        }
    }

    /** Keeps main alive until a signal stops the process. */
    public static void awaitStop() {
        try {
            STOP.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
