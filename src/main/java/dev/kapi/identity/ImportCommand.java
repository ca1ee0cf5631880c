package dev.kapi.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kapi.identity.importing.Auth0Export;
import dev.kapi.identity.importing.KeycloakExport;
import dev.kapi.identity.importing.UserImports;
import dev.kapi.shared.ApiException;

/**
 * The import commands of {@code kapi.jar}: {@code import-users FILE [--dry-run]
 * [--on-existing=skip|update]} imports an NDJSON file into the configured database
 * without starting the HTTP server or the workers (the operator at the console counts as
 * an admin who proved themselves); {@code convert-keycloak FILE} and
 * {@code convert-auth0 FILE} print a Keycloak realm export or Auth0's users as that
 * NDJSON on standard output, without touching the database.
 */
public final class ImportCommand {

    static final String USAGE = """
            usage: java -jar kapi.jar import-users FILE [--dry-run] [--on-existing=skip|update]
                   java -jar kapi.jar convert-keycloak FILE [--missing-email-domain=DOMAIN] [--role=REALM_ROLE=USER_TYPE]...
                   java -jar kapi.jar convert-auth0 FILE""";

    private static final String[] OVERRIDES = { "--server.port=-1", "--kapi.messaging.worker.enabled=false",
            "--kapi.trading.runner.enabled=false", "--kapi.webhooks.worker.enabled=false",
            "--kapi.identity.bootstrap-admin.email=", "--spring.main.log-startup-info=false" };

    private ImportCommand() {
    }

    /** Whether the arguments ask for one of these commands rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && ("import-users".equals(args[0]) || "convert-keycloak".equals(args[0])
                || "convert-auth0".equals(args[0]));
    }

    /** Runs the command and answers the exit status. */
    public static int run(String[] args, SpringApplicationBuilder application, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println(USAGE);
            return 1;
        }
        Path file = Path.of(args[1]);
        try (InputStream in = Files.newInputStream(file)) {
            return switch (args[0]) {
                case "convert-keycloak" -> converted(keycloak(args).convert(in, out, err), err);
                case "convert-auth0" -> converted(new Auth0Export().convert(in, out, err), err);
                default -> importUsers(args, in, application, out, err);
            };
        }
        catch (IOException | RuntimeException ex) {
            err.println("kapi " + args[0] + ": " + ex.getMessage());
            return 1;
        }
    }

    private static int converted(int users, PrintStream err) {
        err.println(users + " users converted");
        return 0;
    }

    private static KeycloakExport keycloak(String[] args) {
        Map<String, String> roles = new HashMap<>();
        String domain = null;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--missing-email-domain=")) {
                domain = args[i].substring("--missing-email-domain=".length());
            }
            else if (args[i].startsWith("--role=") && args[i].indexOf('=', 7) > 7) {
                String mapping = args[i].substring("--role=".length());
                roles.put(mapping.substring(0, mapping.indexOf('=')), mapping.substring(mapping.indexOf('=') + 1));
            }
            else {
                throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new KeycloakExport(roles, domain);
    }

    private static int importUsers(String[] args, InputStream in, SpringApplicationBuilder application, PrintStream out,
            PrintStream err) {
        boolean dryRun = false;
        String onExisting = "skip";
        for (int i = 2; i < args.length; i++) {
            if ("--dry-run".equals(args[i])) {
                dryRun = true;
            }
            else if (args[i].startsWith("--on-existing=")) {
                onExisting = args[i].substring("--on-existing=".length());
            }
            else {
                err.println(USAGE);
                return 1;
            }
        }
        try (ConfigurableApplicationContext context = application.bannerMode(Banner.Mode.OFF).run(OVERRIDES)) {
            UserImports.Result result = context.getBean(UserImports.class)
                .run(UserImports.Importer.commandLine(), in, dryRun, UserImports.OnExisting.of(onExisting));
            out.println((dryRun ? "dry run: " : "") + "imported " + result.imported() + ", updated " + result.updated()
                    + ", skipped " + result.skipped());
            return 0;
        }
        catch (UserImports.Rejected rejected) {
            err.println("kapi import-users: refused, " + rejected.badLines() + " bad lines, nothing written");
            rejected.lines()
                .forEach(line -> err.println("  line " + line.get("line") + " " + line.get("field") + ": "
                        + line.get("code") + " (" + line.get("message") + ")"));
            return 1;
        }
        catch (ApiException ex) {
            err.println("kapi import-users: " + ex.code());
            return 1;
        }
    }

}
