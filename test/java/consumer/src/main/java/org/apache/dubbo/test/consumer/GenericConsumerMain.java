package org.apache.dubbo.test.consumer;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.config.utils.SimpleReferenceCache;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericService;
import org.apache.dubbo.test.services.LoopbackHost;

/**
 * Dubbo 3.3 generic consumer used as the Java reference client by the Node tests and benchmarks.
 * stdout carries only the JSON result lines; logs go to stderr. See test/java/README.md.
 */
public final class GenericConsumerMain {

    private static final PrintStream STDOUT = System.out;

    private GenericConsumerMain() {
    }

    public static void main(String[] argv) {
        System.setOut(System.err);
        org.apache.dubbo.test.support.ParentWatch.start();
        ConsumerOptions o;
        try {
            o = ConsumerOptions.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("bad command line: " + e.getMessage());
            System.err.println(ConsumerOptions.USAGE);
            STDOUT.flush();
            Runtime.getRuntime().halt(2);
            return;
        }
        int code = 0;
        DubboBootstrap bootstrap = null;
        try {
            LoopbackHost.pin();
            bootstrap = start(o);
            switch (o.mode) {
                case "call":
                case "calls":
                    runCalls(o);
                    break;
                case "batch":
                    runBatch(o);
                    break;
                case "load":
                    runLoad(o);
                    break;
                default:
                    runAntiPattern(o);
                    break;
            }
        } catch (Throwable e) {
            print(Json.error(e));
        }
        STDOUT.flush();
        // the consumer node in ZooKeeper is removed by the stop; a stuck stop must not hold the caller:
        // wait for the stop to finish, at most 5 s
        DubboBootstrap stopping = bootstrap;
        Thread stopper = new Thread(() -> {
            try {
                if (stopping != null) {
                    stopping.stop();
                }
            } catch (Throwable e) {
                System.err.println("stop failed: " + e);
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(5000);
        } catch (InterruptedException ignored) {
            // halt below either way
        }
        Runtime.getRuntime().halt(code);
    }

    private static void print(ObjectNode node) {
        STDOUT.println(Json.write(node));
        STDOUT.flush();
    }

    private static DubboBootstrap start(ConsumerOptions o) {
        // a quick stop: nothing is exported here, so there is nothing to drain
        System.setProperty("dubbo.service.shutdown.wait", "0");
        DubboBootstrap bootstrap = DubboBootstrap.getInstance();
        ApplicationConfig app = new ApplicationConfig(o.app);
        app.setQosEnable(false);
        app.setEnableFileCache(false);
        Map<String, String> appParams = new HashMap<>();
        appParams.put("service-discovery.migration", o.migration);
        app.setParameters(appParams);
        System.setProperty("dubbo.application.service-discovery.migration", o.migration);
        bootstrap.application(app);

        RegistryConfig registry;
        if (o.zk != null) {
            registry = new RegistryConfig("zookeeper://" + o.zkHosts());
            if (o.zkAuth != null) {
                int colon = o.zkAuth.indexOf(':');
                registry.setUsername(o.zkAuth.substring(0, colon));
                registry.setPassword(o.zkAuth.substring(colon + 1));
            }
            registry.setTimeout(10_000);
            registry.setUseAsConfigCenter(false);
            registry.setUseAsMetadataCenter(!"FORCE_INTERFACE".equals(o.migration));
            Map<String, String> params = new HashMap<>();
            params.put("file.cache", "false");
            registry.setParameters(params);
        } else {
            registry = new RegistryConfig(RegistryConfig.NO_AVAILABLE);
        }
        bootstrap.registry(registry);
        bootstrap.start();
        return bootstrap;
    }

    private static ReferenceConfig<GenericService> reference(ConsumerOptions o, String iface, String version, String group) {
        ReferenceConfig<GenericService> ref = new ReferenceConfig<>();
        ref.setInterface(iface);
        ref.setGeneric("true");
        ref.setCheck(false);
        ref.setTimeout(o.timeoutMs);
        ref.setRetries(o.retries);
        if (version != null) {
            ref.setVersion(version);
        }
        if (group != null) {
            ref.setGroup(group);
        }
        if (o.url != null) {
            ref.setUrl(o.url);
        }
        return ref;
    }

    private static GenericService cached(ConsumerOptions o) {
        return SimpleReferenceCache.getCache().get(reference(o, o.iface, o.version, o.group));
    }

    private static void attach(ConsumerOptions o) {
        for (Map.Entry<String, String> e : o.attachments.entrySet()) {
            RpcContext.getClientAttachment().setAttachment(e.getKey(), e.getValue());
        }
    }

    /**
     * One synchronous call. While no provider is known yet ("No provider available"), waits until
     * --wait has passed for the interface's listing in ZooKeeper to change (a watch, not a timer),
     * then calls again through a fresh reference, whose subscription reads the new listing.
     */
    private static Object invokeWaiting(ConsumerOptions o, long waitUntil) throws Exception {
        ProviderListing listing = null;
        List<String> seen = null;
        try {
            while (true) {
                try {
                    attach(o);
                    return cached(o).$invoke(o.method, o.types, prepare(o.types, o.args));
                } catch (RpcException e) {
                    if (!isNoProvider(e) || o.zk == null) {
                        throw e;
                    }
                    if (listing == null && (listing = ProviderListing.open(o.zk, o.zkAuth, waitUntil)) == null) {
                        throw e;
                    }
                    seen = listing.awaitChange(o.iface, seen, waitUntil);
                    if (seen == null) {
                        throw e;
                    }
                    SimpleReferenceCache.getCache().destroy(reference(o, o.iface, o.version, o.group));
                }
            }
        } finally {
            if (listing != null) {
                listing.close();
            }
        }
    }

    private static boolean isNoProvider(RpcException e) {
        String msg = String.valueOf(e.getMessage());
        return e.getCode() == RpcException.FORBIDDEN_EXCEPTION
                || msg.contains("No provider available")
                || msg.contains("No provider");
    }

    /**
     * Fresh argument values for every call (Dubbo may realize the array in place), with one
     * conversion JSON cannot express: a string given for a byte[] parameter is read as base64.
     */
    static Object[] prepare(String[] types, Object[] args) {
        Object[] out;
        try {
            out = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(args), Object[].class);
        } catch (Exception e) {
            out = Arrays.copyOf(args, args.length);
        }
        for (int i = 0; i < out.length && i < types.length; i++) {
            if (("byte[]".equals(types[i]) || "[B".equals(types[i])) && out[i] instanceof String) {
                out[i] = Base64.getDecoder().decode((String) out[i]);
            }
        }
        return out;
    }

    private static void runCalls(ConsumerOptions o) throws Exception {
        long waitUntil = System.currentTimeMillis() + Math.max(o.waitMs, 0);
        int n = "calls".equals(o.mode) ? Math.max(1, o.repeat) : 1;
        for (int i = 0; i < n; i++) {
            ObjectNode line;
            try {
                line = Json.ok(invokeWaiting(o, waitUntil));
            } catch (Throwable e) {
                line = Json.error(e);
            }
            print(line);
        }
    }

    /** One JSON request per stdin line, one result line per request, references cached across lines. */
    @SuppressWarnings("unchecked")
    private static void runBatch(ConsumerOptions o) throws Exception {
        java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        String text;
        while ((text = in.readLine()) != null) {
            if (text.isBlank()) {
                continue;
            }
            ObjectNode line;
            try {
                Map<String, Object> request = Json.MAPPER.readValue(text, Map.class);
                ConsumerOptions c = o.withLine(request);
                line = Json.ok(invokeWaiting(c, System.currentTimeMillis() + Math.max(c.waitMs, 0)));
            } catch (Throwable e) {
                line = Json.error(e);
            }
            print(line);
        }
    }

    private static void runLoad(ConsumerOptions o) throws Exception {
        // one synchronous call first: waits for discovery and opens the connection
        invokeWaiting(o, System.currentTimeMillis() + Math.max(o.waitMs, 0));
        GenericService service = cached(o);

        LoadRun run = new LoadRun(o, service);
        ObjectNode result = run.execute();
        print(result);
    }

    /** C chains of asynchronous calls; each chain starts its next call when the previous one ends. */
    private static final class LoadRun {
        private final ConsumerOptions o;
        private final GenericService service;
        private final long warmupEndNs;
        private final long endNs;
        private final long[][] samples;
        private final int[] sampleCounts;
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final CountDownLatch chainsDone;
        private final Object[] preparedArgs;
        private volatile String firstError;

        LoadRun(ConsumerOptions o, GenericService service) {
            this.o = o;
            this.service = service;
            long now = System.nanoTime();
            this.warmupEndNs = now + (long) (o.warmupSec * 1e9);
            this.endNs = warmupEndNs + (long) (o.durationSec * 1e9);
            this.samples = new long[o.concurrency][];
            this.sampleCounts = new int[o.concurrency];
            for (int i = 0; i < o.concurrency; i++) {
                samples[i] = new long[4096];
            }
            this.chainsDone = new CountDownLatch(o.concurrency);
            this.preparedArgs = prepare(o.types, o.args);
        }

        ObjectNode execute() throws InterruptedException {
            for (int lane = 0; lane < o.concurrency; lane++) {
                next(lane, 0);
            }
            // wait for warm-up, then take the CPU reading at the start of the measured window
            long cpuStart = -1;
            long wallStart = 0;
            // the warm-up is a time window: wait for its end, once
            TimeUnit.NANOSECONDS.sleep(Math.max(0, warmupEndNs - System.nanoTime()));
            cpuStart = processCpuNs();
            wallStart = System.nanoTime();
            chainsDone.await(Math.max(1, (endNs - System.nanoTime()) / 1_000_000 + o.timeoutMs + 5000L),
                    TimeUnit.MILLISECONDS);
            long wallEnd = Math.min(System.nanoTime(), Math.max(endNs, wallStart + 1));
            long cpuEnd = processCpuNs();
            double seconds = (wallEnd - wallStart) / 1e9;

            long total = 0;
            for (int c : sampleCounts) {
                total += c;
            }
            long[] all = new long[(int) total];
            int pos = 0;
            for (int i = 0; i < samples.length; i++) {
                System.arraycopy(samples[i], 0, all, pos, sampleCounts[i]);
                pos += sampleCounts[i];
            }
            Arrays.sort(all);
            long n = calls.get();
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("client", "java-generic");
            out.put("calls", n);
            out.put("errors", errors.get());
            out.put("seconds", round(seconds, 3));
            out.put("callsPerSec", round(n / Math.max(seconds, 1e-9), 1));
            out.put("p50Ms", round(percentile(all, 0.50) / 1e6, 3));
            out.put("p99Ms", round(percentile(all, 0.99) / 1e6, 3));
            out.put("concurrency", o.concurrency);
            if (cpuStart >= 0 && cpuEnd >= 0 && n > 0) {
                out.put("cpuUsPerCall", round((cpuEnd - cpuStart) / 1e3 / n, 2));
            } else {
                out.putNull("cpuUsPerCall");
            }
            out.put("rssMB", round(rssKb() / 1024.0, 1));
            if (firstError != null) {
                out.put("firstError", firstError);
            }
            return out;
        }

        private void next(int lane, int depth) {
            long start = System.nanoTime();
            if (start >= endNs) {
                chainsDone.countDown();
                return;
            }
            CompletableFuture<Object> f;
            try {
                attach(o);
                // prepared once: the generic consumer path only serializes the arguments, never changes them
                f = service.$invokeAsync(o.method, o.types, preparedArgs.clone());
            } catch (Throwable e) {
                f = new CompletableFuture<>();
                f.completeExceptionally(e);
            }
            f.whenComplete((value, error) -> {
                long end = System.nanoTime();
                if (start >= warmupEndNs && end <= endNs) {
                    if (error == null) {
                        calls.incrementAndGet();
                        record(lane, end - start);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                if (error != null && firstError == null) {
                    firstError = Json.write(Json.error(error));
                }
                if (depth > 64) {
                    // completed synchronously many times in a row: continue on another thread
                    CompletableFuture.runAsync(() -> next(lane, 0));
                } else {
                    next(lane, depth + 1);
                }
            });
        }

        private void record(int lane, long ns) {
            long[] s = samples[lane];
            int c = sampleCounts[lane];
            if (c == s.length) {
                s = Arrays.copyOf(s, s.length * 2);
                samples[lane] = s;
            }
            s[c] = ns;
            sampleCounts[lane] = c + 1;
        }
    }

    /**
     * The classic leak: a new ReferenceConfig for every call, never cached nor destroyed. Each one
     * subscribes to ZooKeeper again. Targets --interface if given, otherwise the generated
     * org.apache.dubbo.test.many.ServiceNNNN interfaces (round robin over --interfaces).
     */
    private static void runAntiPattern(ConsumerOptions o) throws Exception {
        long started = System.currentTimeMillis();
        long ok = 0;
        long failed = 0;
        String firstError = null;
        List<ReferenceConfig<GenericService>> keep = new ArrayList<>();
        ProviderListing listing = null;
        for (int i = 0; i < o.calls; i++) {
            String iface;
            String method;
            String[] types;
            Object[] args;
            String version;
            if (o.iface != null) {
                iface = o.iface;
                method = o.method;
                types = o.types;
                args = prepare(o.types, o.args);
                version = o.version;
            } else {
                iface = String.format("org.apache.dubbo.test.many.Service%04d", i % o.interfaces);
                method = "echo";
                types = new String[] {"java.lang.String"};
                args = new Object[] {"call" + i};
                version = "1.0.0";
            }
            String group = o.iface != null ? o.group : null;
            try {
                long waitUntil = System.currentTimeMillis() + Math.max(o.waitMs, 0);
                List<String> seen = null;
                while (true) {
                    // The anti-pattern itself: a new reference (and subscription) for every attempt.
                    ReferenceConfig<GenericService> ref = reference(o, iface, version, group);
                    keep.add(ref);
                    try {
                        attach(o);
                        ref.get().$invoke(method, types, args);
                        break;
                    } catch (RpcException e) {
                        if (!isNoProvider(e) || o.zk == null) {
                            throw e;
                        }
                        if (listing == null && (listing = ProviderListing.open(o.zk, o.zkAuth, waitUntil)) == null) {
                            throw e;
                        }
                        seen = listing.awaitChange(iface, seen, waitUntil);
                        if (seen == null) {
                            throw e;
                        }
                    }
                }
                ok++;
            } catch (Throwable e) {
                failed++;
                if (firstError == null) {
                    firstError = Json.write(Json.error(e));
                }
            }
        }
        if (listing != null) {
            listing.close();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("mode", "anti-pattern");
        out.put("calls", ok + failed);
        out.put("ok", ok);
        out.put("errors", failed);
        out.put("references", keep.size());
        out.put("elapsedMs", System.currentTimeMillis() - started);
        out.put("rssMB", round(rssKb() / 1024.0, 1));
        if (firstError != null) {
            out.put("firstError", firstError);
        }
        print(out);
        if (o.holdSec > 0) {
            // keep every reference (and its ZooKeeper watches) alive so they can be counted from outside
            sleep((long) (o.holdSec * 1000));
        }
    }

    private static long processCpuNs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // not Linux: fall through to the heap figure
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1024;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
