package dev.kapi.shared.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for what it refuses before any of Kapı's code runs (a request
 * line and headers over {@code max-http-request-header-size}, a malformed request line):
 * instead of Tomcat's HTML page, a minimal problem with the headers every other answer
 * has (no framing, no sniffing, no script, not stored). It names the status only: the
 * request is not echoed, and neither Tomcat nor its version appears.
 */
final class ContainerErrors extends ErrorReportValve {

    static final String POLICY = "default-src 'none'; frame-ancestors 'none'";

    /** Replaces every error report valve of the host's pipeline by this one. */
    static void install(org.apache.catalina.Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        ContainerErrors errors = new ContainerErrors();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        host.getPipeline().addValve(errors);
        if (host instanceof org.apache.catalina.core.StandardHost standard) {
            standard.setErrorReportValveClass(ContainerErrors.class.getName());
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        response.resetBuffer();
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        String code = status == 400 ? "malformed-request" : "request-refused";
        try {
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"urn:kapi:problem:" + code + "\",\"status\":" + status + "}");
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone or the answer already started: nothing more to say.
        }
    }

}
