package org.apache.dubbo.test.provider27;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.service.GenericService;
import org.apache.dubbo.test.EchoService;
import org.apache.dubbo.test.FailService;
import org.apache.dubbo.test.GreetingService;
import org.apache.dubbo.test.TypesService;
import org.apache.dubbo.test.ValueTypesService;
import org.apache.dubbo.test.UserService;
import org.apache.dubbo.test.services.EchoServiceImpl;
import org.apache.dubbo.test.services.FailServiceImpl;
import org.apache.dubbo.test.services.GreetingServiceImpl;
import org.apache.dubbo.test.services.Launch;
import org.apache.dubbo.test.services.LoopbackHost;
import org.apache.dubbo.test.services.ProviderOptions;
import org.apache.dubbo.test.services.RegistrationCheck;
import org.apache.dubbo.test.services.TypesServiceImpl;
import org.apache.dubbo.test.services.ValueTypesServiceImpl;
import org.apache.dubbo.test.services.UserServiceImpl;

/**
 * Dubbo 2.7 fixture provider; same command line as the 3.3 one (--register-mode is accepted and
 * ignored: 2.7 registers interfaces only). Needs --add-opens flags on JDK 17, see README.md.
 */
public final class Provider27Main {

    static final String DUBBO_VERSION = "2.7.23";

    private Provider27Main() {
    }

    /** Packages of java.base that Dubbo 2.7 reflects into on JDK 9+ (javassist, hessian-lite). */
    static final String[] REQUIRED_OPENS = {"java.lang", "java.math"};

    public static void main(String[] args) {
        Launch.protectStdout();
        org.apache.dubbo.test.support.ParentWatch.start();
        checkOpens();
        ProviderOptions o;
        try {
            o = ProviderOptions.parse(args, List.of("echo", "types"));
        } catch (IllegalArgumentException e) {
            Launch.failAndExit("bad command line: " + e.getMessage(), Launch.EXIT_USAGE);
            return;
        }
        Launch.checkPortFree(o.port);
        Launch.checkZooKeeperReachable(o.zkHosts());
        Launch.startWatchdog(o.startTimeoutSec);
        if (o.shutdownWaitMs != null) {
            System.setProperty("dubbo.service.shutdown.wait", String.valueOf(o.shutdownWaitMs));
        }

        LoopbackHost.pin();
        DubboBootstrap bootstrap = DubboBootstrap.getInstance();
        RegistrationCheck check = new RegistrationCheck();
        List<ServiceConfig<?>> services = new ArrayList<>();
        try {
            bootstrap.application(application(o)).registry(registry(o)).protocol(protocol(o));

            if (o.services.contains("echo")) {
                services.add(service(o, EchoService.class, new EchoServiceImpl(), "1.0.0", null));
            }
            if (o.services.contains("types")) {
                services.add(service(o, TypesService.class, new TypesServiceImpl(), "1.0.0", null));
            }
            if (o.services.contains("values")) {
                services.add(service(o, ValueTypesService.class, new ValueTypesServiceImpl(), "1.0.0", null));
            }
            if (o.services.contains("user")) {
                services.add(service(o, UserService.class, new UserServiceImpl(), "1.0.0", null));
            }
            if (o.services.contains("fail")) {
                services.add(service(o, FailService.class,
                        new FailServiceImpl(ProviderOnlyException::new), "1.0.0", null));
            }
            if (o.services.contains("greeting")) {
                services.add(service(o, GreetingService.class, new GreetingServiceImpl("v1"), "1.0.0", null));
                services.add(service(o, GreetingService.class, new GreetingServiceImpl("v2"), "2.0.0", null));
                services.add(service(o, GreetingService.class, new GreetingServiceImpl("a"), "1.0.0", "a"));
                services.add(service(o, GreetingService.class, new GreetingServiceImpl("b"), "1.0.0", "b"));
            }
            for (String name : o.manyNames()) {
                ServiceConfig<GenericService> sc = new ServiceConfig<>();
                sc.setId(name.substring(name.lastIndexOf('.') + 1) + "-1.0.0");
                sc.setInterface(name);
                sc.setGeneric("true");
                sc.setRef(new ManyService(name));
                sc.setVersion("1.0.0");
                decorate(o, sc);
                services.add(sc);
            }
            for (ServiceConfig<?> sc : services) {
                bootstrap.service(sc);
                check.expectProvider(sc.getInterface(), o.port);
            }
            bootstrap.start();
        } catch (Throwable e) {
            Launch.failAndExit("dubbo start failed: " + Launch.describe(e), Launch.EXIT_START_FAILED);
            return;
        }

        try {
            String missing = check.await(o.zkHosts(), o.zkAuth, 15_000);
            if (missing != null) {
                Launch.failAndExit("exported but not registered: " + missing, Launch.EXIT_START_FAILED);
            }
        } catch (Throwable e) {
            Launch.failAndExit("registration check failed: " + Launch.describe(e), Launch.EXIT_START_FAILED);
        }

        Launch.exitZeroOnSignal(bootstrap::stop, 30_000);
        Launch.ready(o.port, DUBBO_VERSION, services.size());
        Launch.awaitStop();
    }

    /**
     * Without the opens, Dubbo 2.7 fails late and obscurely (javassist cannot define its adaptive
     * classes; BigInteger arguments fail to decode), so refuse to start with the exact flags instead.
     */
    private static void checkOpens() {
        Module base = Object.class.getModule();
        Module self = Provider27Main.class.getModule();
        StringBuilder missing = new StringBuilder();
        for (String pkg : REQUIRED_OPENS) {
            if (!base.isOpen(pkg, self)) {
                missing.append(" --add-opens java.base/").append(pkg).append("=ALL-UNNAMED");
            }
        }
        if (missing.length() > 0) {
            Launch.failAndExit("Dubbo 2.7 on this JDK needs the JVM flags:" + missing, Launch.EXIT_USAGE);
        }
    }

    private static ApplicationConfig application(ProviderOptions o) {
        ApplicationConfig app = new ApplicationConfig(o.app);
        app.setQosEnable(false);
        app.setQosAcceptForeignIp(false);
        return app;
    }

    private static RegistryConfig registry(ProviderOptions o) {
        RegistryConfig registry = new RegistryConfig("zookeeper://" + o.zkHosts());
        if (o.zkAuth != null) {
            int colon = o.zkAuth.indexOf(':');
            registry.setUsername(o.zkAuth.substring(0, colon));
            registry.setPassword(o.zkAuth.substring(colon + 1));
        }
        registry.setTimeout(10_000);
        if (o.zkSessionTimeoutMs != null) {
            registry.setSession(o.zkSessionTimeoutMs);
        }
        registry.setUseAsConfigCenter(false);
        registry.setUseAsMetadataCenter(false);
        Map<String, String> params = new HashMap<>();
        params.put("file.cache", "false");
        registry.setParameters(params);
        return registry;
    }

    private static ProtocolConfig protocol(ProviderOptions o) {
        ProtocolConfig protocol = new ProtocolConfig("dubbo", o.port);
        protocol.setHost(LoopbackHost.HOST);
        if (o.threads != null) {
            protocol.setThreads(o.threads);
        }
        return protocol;
    }

    private static <T> ServiceConfig<T> service(ProviderOptions o, Class<T> type, T impl, String version, String group) {
        ServiceConfig<T> sc = new ServiceConfig<>();
        // a distinct id per export: Dubbo's config manager drops id-less services it sees as duplicates
        sc.setId(type.getSimpleName() + (group != null ? "-" + group : "") + "-" + version);
        sc.setInterface(type);
        sc.setRef(impl);
        sc.setVersion(version);
        if (group != null) {
            sc.setGroup(group);
        }
        decorate(o, sc);
        return sc;
    }

    private static void decorate(ProviderOptions o, ServiceConfig<?> sc) {
        if (o.weight != null) {
            sc.setWeight(o.weight);
        }
        if (o.token != null) {
            sc.setToken(o.token);
        }
        if (!o.params.isEmpty()) {
            sc.setParameters(new HashMap<>(o.params));
        }
    }
}
