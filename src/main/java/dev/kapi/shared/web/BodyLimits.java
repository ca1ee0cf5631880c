package dev.kapi.shared.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body may be: {@code max} for every route (JSON bodies), and larger
 * caps for the few routes that take files ({@code routes}: a Spring path pattern and its
 * cap). A body over its cap is refused with 413 before it is read into memory.
 */
@ConfigurationProperties("kapi.limits.body")
public record BodyLimits(@DefaultValue("1MB") DataSize max, @DefaultValue List<Route> routes) {

    /**
     * A route with a cap of its own, e.g. {@code /api/messaging/customers/import} at 20
     * MB.
     */
    public record Route(String path, DataSize max) {
    }
}
