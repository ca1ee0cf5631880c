package dev.kapi.messaging;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import com.zaxxer.hikari.HikariDataSource;

import dev.kapi.Application;

/**
 * A second Kapı instance on the tests' PostgreSQL, as TwoInstancesIntegrationTests starts
 * one: the same clock, Meta's stand-in as its Graph API, its own sender with its own
 * worker id. Started once, on demand; {@link #stop} closes it.
 */
final class SecondInstance {

    private static ConfigurableApplicationContext context;

    private SecondInstance() {
    }

    static synchronized ConfigurableApplicationContext start(Clock clock, DataSource dataSource, String metaUrl,
            int smtpPort) {
        if (context == null) {
            // as command-line arguments: they outrank application.yml, whose
            // KAPI_WHATSAPP_BASE_URL default is Meta's
            context = new SpringApplicationBuilder(Application.class).profiles("test")
                .initializers(app -> ((GenericApplicationContext) app).registerBean("sharedTestClock", Clock.class,
                        () -> clock, definition -> definition.setPrimary(true)))
                .run("--server.port=0", "--spring.datasource.url=" + ((HikariDataSource) dataSource).getJdbcUrl(),
                        "--spring.datasource.username=postgres", "--spring.mail.host=127.0.0.1",
                        "--spring.mail.port=" + smtpPort, "--kapi.messaging.whatsapp.base-url=" + metaUrl);
        }
        return context;
    }

    static synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

}
