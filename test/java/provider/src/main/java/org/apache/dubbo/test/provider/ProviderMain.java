package org.apache.dubbo.test.provider;

import java.util.List;
import java.util.function.Function;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.test.services.ProviderOptions;

/**
 * Dubbo 3 fixture provider; see test/java/README.md for the command line. The same sources build the
 * 3.3 module and, against Dubbo 3.2, the provider32 module; the start-up itself is
 * {@link FixtureProvider}, shared with the 2.7 provider.
 */
public final class ProviderMain implements FixtureProvider.Release {

    private ProviderMain() {
    }

    public static void main(String[] args) {
        FixtureProvider.run(args, new ProviderMain());
    }

    /** The Dubbo release on the classpath (3.3.x or 3.2.x), from the dubbo jar's manifest. */
    @Override
    public String dubboVersion() {
        return org.apache.dubbo.common.Version.getVersion();
    }

    @Override
    public List<String> defaultServices() {
        return ProviderOptions.ALL_SERVICES;
    }

    @Override
    public Function<String, RuntimeException> providerOnlyException() {
        return ProviderOnlyException::new;
    }

    @Override
    public void checkJvm() {
        // Dubbo 3 starts on JDK 17 without extra flags
    }

    @Override
    public String registerMode(ProviderOptions o) {
        return o.registerMode;
    }

    @Override
    public void configure(ApplicationConfig app, ProviderOptions o) {
        app.setRegisterMode(o.registerMode);
        // no ~/.dubbo cache files shared between concurrently running fixtures
        app.setEnableFileCache(false);
    }
}
