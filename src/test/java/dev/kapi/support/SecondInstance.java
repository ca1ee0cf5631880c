package dev.kapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.kapi.Application;

/**
 * Another Kapı instance beside the tests' own, as a second server behind a load balancer:
 * the same settings, PostgreSQL, clock and stubs. {@link #shared} is started once per JVM
 * and serves every test that needs a second instance; {@link #builder} starts one with
 * settings of its own (another signing algorithm, a bootstrap admin, a new database),
 * which its test closes.
 */
public final class SecondInstance implements AutoCloseable {

    /**
     * The {@code ApplicationName} of the shared instance's LISTEN connection, which it
     * opens on a direct connection of its own as it would behind PgBouncer.
     */
    public static final String LISTENER = "kapi-second-listener";

    private static SecondInstance shared;

    private static SecondInstance atItsAddress;

    private final ConfigurableApplicationContext context;

    private final boolean keptOpen;

    private SecondInstance(ConfigurableApplicationContext context, boolean keptOpen) {
        this.context = context;
        this.keptOpen = keptOpen;
    }

    /**
     * The instance every test shares, started on first use; it stops just before the
     * tests' context closes (so before the embedded database does).
     */
    public static synchronized SecondInstance shared(ConfigurableApplicationContext tests) {
        if (shared == null) {
            String url = databaseOf(tests);
            ConfigurableApplicationContext context = builder(tests)
                .property("kapi.cluster.listen-url",
                        url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + LISTENER)
                .start().context;
            shared = new SecondInstance(context, true);
            stopWith(tests);
        }
        return shared;
    }

    /**
     * An instance whose public URL ({@code KAPI_PUBLIC_URL}, its issuer) is the address
     * it listens at, shared like {@link #shared} (started on first use, stopped with the
     * tests' context). The tests' own context keeps the default issuer
     * ({@code http://localhost:8000}), where no server listens; a relying party that
     * discovers Kapı from its issuer, a browser following its endpoints, and a token's
     * {@code iss} checked against the discovery document need this one.
     */
    public static synchronized SecondInstance atItsAddress(ConfigurableApplicationContext tests) {
        if (atItsAddress == null) {
            int port = freePort();
            atItsAddress = new SecondInstance(builder(tests).property("server.port", port)
                .property("kapi.public-url", "http://localhost:" + port)
                .start().context, true);
            stopWith(tests);
        }
        return atItsAddress;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void stopWith(ConfigurableApplicationContext tests) {
        tests.addApplicationListener((ApplicationListener<ApplicationEvent>) event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == tests) {
                stopShared();
            }
        });
    }

    /** An instance with settings of its own, on the tests' database unless told. */
    public static Builder builder(ConfigurableApplicationContext tests) {
        return new Builder(tests);
    }

    private static synchronized void stopShared() {
        if (shared != null) {
            shared.context.close();
            shared = null;
        }
        if (atItsAddress != null) {
            atItsAddress.context.close();
            atItsAddress = null;
        }
    }

    public <T> T getBean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** Stops the instance; the shared one stays up for the tests after this one. */
    @Override
    public void close() {
        if (!keptOpen) {
            context.close();
        }
    }

    private static String databaseOf(ConfigurableApplicationContext context) {
        return ((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl();
    }

    /** Settings of an instance; each outranks application.yml and the environment. */
    public static final class Builder {

        private final ConfigurableApplicationContext tests;

        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder(ConfigurableApplicationContext tests) {
            this.tests = tests;
            this.properties.put("server.port", "0");
            this.properties.put("spring.datasource.url", databaseOf(tests));
            this.properties.put("spring.datasource.username", "postgres");
            this.properties.putAll(IntegrationTest.STUBS);
            // springdoc registers its model converters in swagger's JVM-wide
            // ModelConverters:
            // a second instance's would take the place of the tests' context's, whose
            // description then loses what OpenApiDescription marks (every answer field
            // optional in the typed client)
            this.properties.put("springdoc.api-docs.enabled", "false");
        }

        public Builder property(String name, Object value) {
            this.properties.put(name, value.toString());
            return this;
        }

        /** On the given database of the tests' PostgreSQL server. */
        public Builder database(String jdbcUrl) {
            return property("spring.datasource.url", jdbcUrl);
        }

        /**
         * On a new database of the tests' PostgreSQL server, still without tables, as a
         * new installation has.
         */
        public Builder freshDatabase() {
            return database(newDatabase(this.tests));
        }

        /** The URL of the database the instance will run on. */
        public String jdbcUrl() {
            return (String) this.properties.get("spring.datasource.url");
        }

        /**
         * The application, not yet run: for the commands ({@code create-admin},
         * {@code export}, {@code import}) that run it themselves.
         */
        public SpringApplicationBuilder application() {
            Clock clock = this.tests.getBean(MutableClock.class);
            Map<String, Object> settings = new LinkedHashMap<>(this.properties);
            return new SpringApplicationBuilder(Application.class).profiles("test").initializers(context -> {
                context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("second-instance", settings));
                ((GenericApplicationContext) context).registerBean("sharedTestClock", Clock.class, () -> clock,
                        definition -> definition.setPrimary(true));
            });
        }

        /** Starts the instance; its test closes it. */
        public SecondInstance start() {
            return new SecondInstance(application().registerShutdownHook(false).run(), false);
        }

        private static String newDatabase(ConfigurableApplicationContext tests) {
            String name = "kapi_fresh_" + UUID.randomUUID().toString().replace("-", "");
            JdbcClient.create(tests.getBean(DataSource.class)).sql("CREATE DATABASE " + name).update();
            return databaseOf(tests).replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        }

    }

}
