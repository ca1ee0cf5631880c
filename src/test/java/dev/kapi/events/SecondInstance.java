package dev.kapi.events;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import com.zaxxer.hikari.HikariDataSource;

import dev.kapi.Application;

/**
 * A second Kapı instance on the tests' PostgreSQL with the same clock, as messaging's
 * SecondInstance starts one (the recipe is due to become one shared fixture in
 * {@code support}). Started once, on demand; {@link #stop} closes it.
 */
final class SecondInstance {

    private static ConfigurableApplicationContext context;

    private SecondInstance() {
    }

    static synchronized ConfigurableApplicationContext start(Clock clock, DataSource dataSource, int smtpPort) {
        if (context == null) {
            context = new SpringApplicationBuilder(Application.class).profiles("test")
                .initializers(app -> ((GenericApplicationContext) app).registerBean("sharedTestClock", Clock.class,
                        () -> clock, definition -> definition.setPrimary(true)))
                .run("--server.port=0", "--spring.datasource.url=" + ((HikariDataSource) dataSource).getJdbcUrl(),
                        "--spring.datasource.username=postgres", "--spring.mail.host=127.0.0.1",
                        "--spring.mail.port=" + smtpPort);
        }
        return context;
    }

    /** The second instance's HTTP port. */
    static int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

}
