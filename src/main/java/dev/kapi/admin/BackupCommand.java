package dev.kapi.admin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Problems;

/**
 * The {@code export FILE} and {@code import FILE} commands, for backups while the server
 * is stopped: the application starts without listening for HTTP and without its
 * background workers, runs {@link Export} or {@link Import} on its database, prints one
 * line and stops. An import follows the rules of {@code POST /api/admin/import}.
 */
public final class BackupCommand {

    static final String USAGE = "usage: java -jar kapi.jar export FILE | import FILE";

    /**
     * Command-line properties outrank the environment: no sender and no bot runner,
     * whatever is configured, and no HTTP port (the web context is still built, since
     * security and error handling are wired to it).
     */
    private static final String[] OVERRIDES = { "--server.port=-1", "--kapi.messaging.worker.enabled=false",
            "--kapi.trading.runner.enabled=false", "--spring.main.log-startup-info=false" };

    private BackupCommand() {
    }

    /** Whether the arguments ask for a command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && ("export".equals(args[0]) || "import".equals(args[0]));
    }

    /**
     * Runs the command with the given application and answers the process's exit status.
     */
    public static int run(String[] args, SpringApplicationBuilder application, PrintStream out, PrintStream err) {
        if (args.length != 2 || !handles(args)) {
            err.println(USAGE);
            return 1;
        }
        String command = args[0];
        Path file = Path.of(args[1]).toAbsolutePath();
        if ("import".equals(command) && !Files.isReadable(file)) {
            err.println("kapi import: cannot read " + file);
            return 1;
        }
        ConfigurableApplicationContext context;
        try {
            context = application.bannerMode(Banner.Mode.OFF).run(OVERRIDES);
        }
        catch (RuntimeException ex) {
            err.println("kapi " + command + ": the application did not start (is the server still running on "
                    + "this database?): " + rootMessage(ex));
            return 1;
        }
        try (context) {
            out.println("export".equals(command) ? exportTo(context, file) : importFrom(context, file));
            return 0;
        }
        catch (Refused ex) {
            err.println("kapi " + command + ": " + ex.getMessage());
            return 1;
        }
        catch (IOException | RuntimeException ex) {
            err.println("kapi " + command + " failed: " + rootMessage(ex));
            return 1;
        }
    }

    private static String exportTo(ConfigurableApplicationContext context, Path file) throws IOException {
        Export.Summary summary = export(context.getBean(Export.class), file);
        return "Exported %d tables, %d rows to %s".formatted(summary.tables(), summary.rows(), file);
    }

    /** An import's refusal is told in English, as the API would tell it. */
    private static String importFrom(ConfigurableApplicationContext context, Path file) {
        try {
            Import.Summary summary = context.getBean(Import.class).restore(file);
            return "Imported %d tables, %d rows from %s".formatted(summary.tables(), summary.rows(), file);
        }
        catch (ApiException ex) {
            throw new Refused(context.getBean(Problems.class).message(ex.code(), Locale.ENGLISH, ex.args()));
        }
    }

    /** An import the rules refused, with the message to print. */
    private static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message, null, false, false);
        }

    }

    /**
     * Writes beside the target first, so that a failed export leaves no half archive
     * under its name.
     */
    private static Export.Summary export(Export export, Path file) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), ".kapi-export-", ".zip.part");
        try {
            Export.Summary summary;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                summary = export.writeTo(out);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        }
        finally {
            Files.deleteIfExists(partial);
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
