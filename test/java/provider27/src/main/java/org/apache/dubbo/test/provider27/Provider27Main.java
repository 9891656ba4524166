package org.apache.dubbo.test.provider27;

import java.util.List;
import java.util.function.Function;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.test.provider.FixtureProvider;
import org.apache.dubbo.test.services.Launch;
import org.apache.dubbo.test.services.ProviderOptions;

/**
 * Dubbo 2.7 fixture provider; same command line as the 3.3 one (--register-mode is accepted and
 * ignored: 2.7 registers interfaces only). Needs --add-opens flags on JDK 17, see README.md. The
 * start-up itself is {@link FixtureProvider}, compiled here against Dubbo 2.7.
 */
public final class Provider27Main implements FixtureProvider.Release {

    /** Packages of java.base that Dubbo 2.7 reflects into on JDK 9+ (javassist, hessian-lite). */
    static final String[] REQUIRED_OPENS = {"java.lang", "java.math"};

    private Provider27Main() {
    }

    public static void main(String[] args) {
        FixtureProvider.run(args, new Provider27Main());
    }

    @Override
    public String dubboVersion() {
        return "2.7.23";
    }

    @Override
    public List<String> defaultServices() {
        return List.of("echo", "types");
    }

    @Override
    public Function<String, RuntimeException> providerOnlyException() {
        return ProviderOnlyException::new;
    }

    /**
     * Without the opens, Dubbo 2.7 fails late and obscurely (javassist cannot define its adaptive
     * classes; BigInteger arguments fail to decode), so refuse to start with the exact flags instead.
     */
    @Override
    public void checkJvm() {
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

    @Override
    public String registerMode(ProviderOptions o) {
        return "interface";
    }

    @Override
    public void configure(ApplicationConfig app, ProviderOptions o) {
        // 2.7 has neither a register mode nor a file-cache switch on the application
    }
}
