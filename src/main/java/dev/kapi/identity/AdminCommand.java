package dev.kapi.identity;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar kapi.jar create-admin --email x@y}: creates an admin on the configured
 * database with a password asked on the terminal (twice, not echoed; from standard input,
 * one line, when there is no terminal), without starting the HTTP server or the
 * background workers, and stops.
 */
public final class AdminCommand {

    static final String USAGE = "usage: java -jar kapi.jar create-admin --email ADDRESS";

    private static final String[] OVERRIDES = { "--server.port=-1", "--kapi.messaging.worker.enabled=false",
            "--kapi.trading.runner.enabled=false", "--kapi.webhooks.worker.enabled=false",
            "--kapi.identity.bootstrap-admin.email=", "--spring.main.log-startup-info=false" };

    private AdminCommand() {
    }

    /** Whether the arguments ask for this command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && "create-admin".equals(args[0]);
    }

    /**
     * Runs the command with the password from the terminal (or standard input) and
     * answers the exit status.
     */
    public static int run(String[] args, SpringApplicationBuilder application, PrintStream out, PrintStream err) {
        return run(args, application, () -> askPassword(out), out, err);
    }

    static int run(String[] args, SpringApplicationBuilder application, Supplier<String> password, PrintStream out,
            PrintStream err) {
        String email = email(args);
        if (email == null) {
            err.println(USAGE);
            return 1;
        }
        String typed;
        try {
            typed = password.get();
        }
        catch (IllegalArgumentException | UncheckedIOException ex) {
            err.println("kapi create-admin: " + ex.getMessage());
            return 1;
        }
        if (typed == null || typed.isEmpty()) {
            err.println("kapi create-admin: no password given");
            return 1;
        }
        ConfigurableApplicationContext context;
        try {
            context = application.bannerMode(Banner.Mode.OFF).run(OVERRIDES);
        }
        catch (RuntimeException ex) {
            err.println("kapi create-admin: the application did not start: " + rootMessage(ex));
            return 1;
        }
        try (context) {
            context.getBean(FirstAdmin.class).create(email, typed);
            out.println("Created the admin " + email.trim() + "; sign in at /admin");
            return 0;
        }
        catch (IllegalArgumentException ex) {
            err.println("kapi create-admin: " + ex.getMessage());
            return 1;
        }
        catch (RuntimeException ex) {
            err.println("kapi create-admin failed: " + rootMessage(ex));
            return 1;
        }
    }

    private static String email(String[] args) {
        if (args.length == 3 && "--email".equals(args[1])) {
            return args[2];
        }
        if (args.length == 2 && args[1].startsWith("--email=")) {
            return args[1].substring("--email=".length());
        }
        return null;
    }

    private static String askPassword(PrintStream out) {
        Console console = System.console();
        if (console == null) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line;
            }
            catch (IOException ex) {
                throw new UncheckedIOException("cannot read the password from standard input", ex);
            }
        }
        char[] first = console.readPassword("Password for the new admin: ");
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            return new String(first);
        }
        finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

}
