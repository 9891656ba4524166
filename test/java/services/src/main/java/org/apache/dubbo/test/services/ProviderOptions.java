package org.apache.dubbo.test.services;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command line shared by both fixture providers. Parse errors throw {@link IllegalArgumentException}. */
public final class ProviderOptions {

    public static final List<String> ALL_SERVICES = List.of("echo", "types", "user", "fail", "greeting");
    /** Exported only when named: the shared test providers keep their set of interfaces. */
    public static final List<String> EXTRA_SERVICES = List.of("values");

    public String zk;
    public int port = -1;
    public Set<String> services;
    public int many;
    public String app = "fixture-provider";
    public Integer weight;
    public String token;
    public String registerMode = "interface";
    public String zkAuth;
    public final Map<String, String> params = new LinkedHashMap<>();
    public Integer threads;
    public Integer zkSessionTimeoutMs;
    public Integer shutdownWaitMs;
    public int startTimeoutSec;

    private ProviderOptions() {
    }

    /**
     * @param args            the raw command line
     * @param defaultServices services exported when neither --services nor --many is given
     */
    public static ProviderOptions parse(String[] args, List<String> defaultServices) {
        ProviderOptions o = new ProviderOptions();
        boolean servicesGiven = false;
        Integer startTimeout = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if ("--help".equals(flag) || "-h".equals(flag)) {
                throw new IllegalArgumentException("usage: --zk HOST:PORT --port P [--services LIST] [--many N] "
                        + "[--app NAME] [--weight W] [--token T] [--register-mode interface|instance|all] "
                        + "[--zk-auth USER:PASS] [--param K=V]... [--threads N] [--zk-session-timeout MS] "
                        + "[--shutdown-wait MS] [--start-timeout SEC]");
            }
            String value = value(args, i, flag);
            i++;
            switch (flag) {
                case "--zk":
                    o.zk = value;
                    break;
                case "--port":
                    o.port = intValue(flag, value, 1, 65535);
                    break;
                case "--services":
                    servicesGiven = true;
                    o.services = new LinkedHashSet<>();
                    for (String s : value.split(",")) {
                        String name = s.trim().toLowerCase();
                        if (name.isEmpty() || "none".equals(name)) {
                            continue;
                        }
                        if ("all".equals(name)) {
                            o.services.addAll(ALL_SERVICES);
                            continue;
                        }
                        if (!ALL_SERVICES.contains(name) && !EXTRA_SERVICES.contains(name)) {
                            throw new IllegalArgumentException("unknown service '" + name + "' (known: "
                                    + String.join(",", ALL_SERVICES) + "," + String.join(",", EXTRA_SERVICES) + ")");
                        }
                        o.services.add(name);
                    }
                    break;
                case "--many":
                    o.many = intValue(flag, value, 0, 100_000);
                    break;
                case "--app":
                    o.app = value;
                    break;
                case "--weight":
                    o.weight = intValue(flag, value, 0, Integer.MAX_VALUE);
                    break;
                case "--token":
                    o.token = value;
                    break;
                case "--register-mode":
                    if (!Arrays.asList("interface", "instance", "all").contains(value)) {
                        throw new IllegalArgumentException("--register-mode must be interface, instance or all");
                    }
                    o.registerMode = value;
                    break;
                case "--zk-auth":
                    if (!value.contains(":")) {
                        throw new IllegalArgumentException("--zk-auth must be USER:PASSWORD");
                    }
                    o.zkAuth = value;
                    break;
                case "--param": {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--param must be KEY=VALUE");
                    }
                    o.params.put(value.substring(0, eq), value.substring(eq + 1));
                    break;
                }
                case "--threads":
                    o.threads = intValue(flag, value, 1, 10_000);
                    break;
                case "--zk-session-timeout":
                    o.zkSessionTimeoutMs = intValue(flag, value, 1, Integer.MAX_VALUE);
                    break;
                case "--shutdown-wait":
                    o.shutdownWaitMs = intValue(flag, value, 0, Integer.MAX_VALUE);
                    break;
                case "--start-timeout":
                    startTimeout = intValue(flag, value, 1, 3600);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (o.zk == null) {
            throw new IllegalArgumentException("--zk is required");
        }
        if (o.port < 0) {
            throw new IllegalArgumentException("--port is required");
        }
        if (!servicesGiven) {
            o.services = o.many > 0 ? new LinkedHashSet<>() : new LinkedHashSet<>(defaultServices);
        }
        if (o.services.isEmpty() && o.many == 0) {
            throw new IllegalArgumentException("nothing to export: give --services or --many");
        }
        o.startTimeoutSec = startTimeout != null ? startTimeout : 30 + o.many / 10;
        return o;
    }

    /** The address of ZooKeeper without a scheme, e.g. 127.0.0.1:2181 (a comma list is kept). */
    public String zkHosts() {
        String z = zk;
        int scheme = z.indexOf("://");
        if (scheme >= 0) {
            z = z.substring(scheme + 3);
        }
        int q = z.indexOf('?');
        return q >= 0 ? z.substring(0, q) : z;
    }

    /** Name of the i-th generated interface: org.apache.dubbo.test.many.Service0042. */
    public static String manyName(int i) {
        return String.format("org.apache.dubbo.test.many.Service%04d", i);
    }

    public List<String> manyNames() {
        List<String> names = new ArrayList<>(many);
        for (int i = 0; i < many; i++) {
            names.add(manyName(i));
        }
        return names;
    }

    private static String value(String[] args, int i, String flag) {
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("unexpected argument " + flag);
        }
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i + 1];
    }

    private static int intValue(String flag, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'");
        }
    }
}
