package dev.kapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.kapi.admin.BackupCommand;
import dev.kapi.identity.AdminCommand;
import dev.kapi.identity.ImportCommand;

/**
 * Kapı: one deployable that serves accounts, authentication, admin and domain APIs. Each
 * top-level package is an application module; {@code shared} holds the cross-cutting
 * pieces every module uses. {@code export FILE} and {@code import FILE} as arguments run
 * a backup command instead of the server, {@code create-admin --email ADDRESS} creates an
 * admin, {@code import-users}, {@code convert-keycloak} and {@code convert-auth0} import
 * users ({@link ImportCommand}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@EnableAsync
@Modulithic(sharedModules = "shared")
public class Application {

    public static void main(String[] args) {
        if (BackupCommand.handles(args)) {
            System
                .exit(BackupCommand.run(args, new SpringApplicationBuilder(Application.class), System.out, System.err));
        }
        if (ImportCommand.handles(args)) {
            System
                .exit(ImportCommand.run(args, new SpringApplicationBuilder(Application.class), System.out, System.err));
        }
        if (AdminCommand.handles(args)) {
            System
                .exit(AdminCommand.run(args, new SpringApplicationBuilder(Application.class), System.out, System.err));
        }
        SpringApplication.run(Application.class, args);
    }

}
