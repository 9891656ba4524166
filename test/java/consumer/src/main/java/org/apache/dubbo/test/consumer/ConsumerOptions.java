package org.apache.dubbo.test.consumer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Command line of {@link GenericConsumerMain}. Any problem throws {@link IllegalArgumentException}. */
final class ConsumerOptions {

    static final String USAGE = String.join("\n",
            "usage:",
            "  call         --zk H:P | --url dubbo://H:P  --interface X [--version V] [--group G] --method M",
            "               [--types JSON] [--args JSON | --args-file PATH] [--timeout MS] [--attach JSON] [--zk-auth U:P] [--wait MS]",
            "  calls        same as call, plus --repeat N (one JSON line per call, one JVM)",
            "  batch        --zk H:P | --url ...; reads one JSON object per stdin line:",
            "               {\"interface\",\"version\",\"group\",\"method\",\"types\",\"args\",\"timeout\",\"attach\"}",
            "               and prints one result line per input line",
            "  load         same as call, plus --concurrency C --duration SEC [--warmup SEC]",
            "  anti-pattern --zk H:P [--interfaces N] [--calls M] [--hold SEC] [--interface X --method M ...]",
            "common: [--app NAME] [--retries N] [--migration FORCE_INTERFACE|APPLICATION_FIRST|FORCE_APPLICATION]");

    private static final ObjectMapper JSON = new ObjectMapper();

    String mode;
    String zk;
    String url;
    String iface;
    String version;
    String group;
    String method;
    String[] types = new String[0];
    Object[] args = new Object[0];
    int timeoutMs = 3000;
    Map<String, String> attachments = new LinkedHashMap<>();
    String zkAuth;
    int waitMs = 10_000;
    int repeat = 1;
    int concurrency = 1;
    double durationSec = 10;
    double warmupSec = 0;
    int interfaces = 100;
    int calls = 1000;
    double holdSec = 0;
    String app = "fixture-consumer";
    int retries = 0;
    String migration = "FORCE_INTERFACE";

    static ConsumerOptions parse(String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("missing mode");
        }
        ConsumerOptions o = new ConsumerOptions();
        o.mode = argv[0];
        if (!List.of("call", "calls", "batch", "load", "anti-pattern").contains(o.mode)) {
            throw new IllegalArgumentException("unknown mode " + o.mode);
        }
        boolean typesGiven = false;
        for (int i = 1; i < argv.length; i++) {
            String flag = argv[i];
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = argv[++i];
            switch (flag) {
                case "--zk":
                    o.zk = v;
                    break;
                case "--url":
                    o.url = v;
                    break;
                case "--interface":
                    o.iface = v;
                    break;
                case "--version":
                    o.version = v;
                    break;
                case "--group":
                    o.group = v;
                    break;
                case "--method":
                    o.method = v;
                    break;
                case "--types": {
                    List<String> list = readJson(flag, v, new TypeReference<List<String>>() { });
                    o.types = list.toArray(new String[0]);
                    typesGiven = true;
                    break;
                }
                case "--args": {
                    List<Object> list = readJson(flag, v, new TypeReference<List<Object>>() { });
                    o.args = list == null ? new Object[0] : list.toArray();
                    break;
                }
                case "--args-file": {
                    // Arguments too large for a command line (a 100 000-element list).
                    String text;
                    try {
                        text = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(v)), java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException("--args-file cannot be read: " + e.getMessage());
                    }
                    List<Object> list = readJson(flag, text, new TypeReference<List<Object>>() { });
                    o.args = list == null ? new Object[0] : list.toArray();
                    break;
                }
                case "--timeout":
                    o.timeoutMs = intValue(flag, v);
                    break;
                case "--attach": {
                    Map<String, Object> map = readJson(flag, v, new TypeReference<Map<String, Object>>() { });
                    for (Map.Entry<String, Object> e : map.entrySet()) {
                        o.attachments.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue()));
                    }
                    break;
                }
                case "--zk-auth":
                    o.zkAuth = v;
                    break;
                case "--wait":
                    o.waitMs = intValue(flag, v);
                    break;
                case "--repeat":
                    o.repeat = intValue(flag, v);
                    break;
                case "--concurrency":
                    o.concurrency = Math.max(1, intValue(flag, v));
                    break;
                case "--duration":
                    o.durationSec = doubleValue(flag, v);
                    break;
                case "--warmup":
                    o.warmupSec = doubleValue(flag, v);
                    break;
                case "--interfaces":
                    o.interfaces = Math.max(1, intValue(flag, v));
                    break;
                case "--calls":
                    o.calls = intValue(flag, v);
                    break;
                case "--hold":
                    o.holdSec = doubleValue(flag, v);
                    break;
                case "--app":
                    o.app = v;
                    break;
                case "--retries":
                    o.retries = intValue(flag, v);
                    break;
                case "--migration":
                    o.migration = v;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (o.zk == null && o.url == null) {
            throw new IllegalArgumentException("--zk or --url is required");
        }
        if (!"batch".equals(o.mode) && (!"anti-pattern".equals(o.mode) || o.iface != null)) {
            if (o.iface == null || o.method == null) {
                throw new IllegalArgumentException("--interface and --method are required");
            }
        }
        if (!typesGiven && o.args.length > 0) {
            throw new IllegalArgumentException("--types is required when --args is given");
        }
        if (o.types.length != o.args.length) {
            throw new IllegalArgumentException("--types has " + o.types.length + " entries but --args has " + o.args.length);
        }
        return o;
    }

    /** A copy of these options with the fields of one batch line (a JSON object) applied. */
    ConsumerOptions withLine(Map<String, Object> line) {
        ConsumerOptions c = new ConsumerOptions();
        c.mode = mode;
        c.zk = zk;
        c.url = url;
        c.zkAuth = zkAuth;
        c.waitMs = waitMs;
        c.app = app;
        c.retries = retries;
        c.migration = migration;
        c.iface = (String) line.getOrDefault("interface", iface);
        c.version = (String) line.getOrDefault("version", version);
        c.group = (String) line.getOrDefault("group", group);
        c.method = (String) line.getOrDefault("method", method);
        Object t = line.get("types");
        c.types = t instanceof List ? ((List<?>) t).stream().map(String::valueOf).toArray(String[]::new) : types;
        Object a = line.get("args");
        c.args = a instanceof List ? ((List<?>) a).toArray() : args;
        Object timeout = line.get("timeout");
        c.timeoutMs = timeout instanceof Number ? ((Number) timeout).intValue() : timeoutMs;
        c.attachments = new LinkedHashMap<>(attachments);
        Object attach = line.get("attach");
        if (timeout instanceof Number) {
            // references are cached per service, so a per-line timeout travels as the call's attachment
            c.attachments.put("timeout", String.valueOf(c.timeoutMs));
        }
        if (attach instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) attach).entrySet()) {
                c.attachments.put(String.valueOf(e.getKey()), e.getValue() == null ? null : String.valueOf(e.getValue()));
            }
        }
        if (c.iface == null || c.method == null) {
            throw new IllegalArgumentException("batch line needs \"interface\" and \"method\"");
        }
        if (c.types.length != c.args.length) {
            throw new IllegalArgumentException("\"types\" has " + c.types.length + " entries but \"args\" has " + c.args.length);
        }
        return c;
    }

    /** ZooKeeper address without a scheme. */
    String zkHosts() {
        String z = zk;
        int scheme = z.indexOf("://");
        return scheme >= 0 ? z.substring(scheme + 3) : z;
    }

    private static <T> T readJson(String flag, String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalArgumentException(flag + " is not valid JSON of the expected shape: " + e.getMessage());
        }
    }

    private static int intValue(String flag, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }

    private static double doubleValue(String flag, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + v + "'");
        }
    }
}
