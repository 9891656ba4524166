package org.apache.dubbo.test.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
 * The start-up of every fixture provider (see test/java/README.md for the command line). This source
 * directory is compiled into each provider module against that module's Dubbo release, so the calls
 * below must exist in all of them (2.7, 3.2, 3.3); what exists in one release only goes through
 * {@link Release}.
 */
public final class FixtureProvider {

    /** What differs between the Dubbo releases the providers are built against. */
    public interface Release {

        /** The Dubbo release on the classpath, as the READY line reports it. */
        String dubboVersion();

        /** The services exported when the command line names none (and asks for no --many). */
        List<String> defaultServices();

        /** What FailService.throwProviderOnly throws: a class that exists in this module only. */
        Function<String, RuntimeException> providerOnlyException();

        /** Refuses to start, with the reason, when this JVM lacks what the release needs. */
        void checkJvm();

        /** The registration mode in effect: --register-mode where the release has one, else "interface". */
        String registerMode(ProviderOptions o);

        /** Application settings that exist in this release only. */
        void configure(ApplicationConfig app, ProviderOptions o);
    }

    private FixtureProvider() {
    }

    public static void run(String[] args, Release release) {
        Launch.protectStdout();
        org.apache.dubbo.test.support.ParentWatch.start();
        release.checkJvm();
        ProviderOptions o;
        try {
            o = ProviderOptions.parse(args, release.defaultServices());
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
        String registerMode = release.registerMode(o);

        LoopbackHost.pin();
        DubboBootstrap bootstrap = DubboBootstrap.getInstance();
        RegistrationCheck check = new RegistrationCheck();
        List<ServiceConfig<?>> services = new ArrayList<>();
        try {
            bootstrap.application(application(o, release)).registry(registry(o, registerMode)).protocol(protocol(o));

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
                        new FailServiceImpl(release.providerOnlyException()), "1.0.0", null));
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
            }

            boolean byInterface = !"instance".equals(registerMode);
            boolean byInstance = !"interface".equals(registerMode);
            for (ServiceConfig<?> sc : services) {
                if (byInterface) {
                    check.expectProvider(sc.getInterface(), o.port);
                }
            }
            if (byInstance) {
                check.expectInstance(o.app, o.port);
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
        Launch.ready(o.port, release.dubboVersion(), services.size());
        Launch.awaitStop();
    }

    private static ApplicationConfig application(ProviderOptions o, Release release) {
        ApplicationConfig app = new ApplicationConfig(o.app);
        // several providers run side by side; the QoS console would make them fight over port 22222
        app.setQosEnable(false);
        app.setQosAcceptForeignIp(false);
        release.configure(app, o);
        return app;
    }

    private static RegistryConfig registry(ProviderOptions o, String registerMode) {
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
        // plain interface registration: no config center reads; the metadata center (service-name
        // mapping and instance metadata) only when application-level registration is asked for
        registry.setUseAsConfigCenter(false);
        registry.setUseAsMetadataCenter(!"interface".equals(registerMode));
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
