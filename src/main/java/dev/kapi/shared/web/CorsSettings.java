package dev.kapi.shared.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Origins allowed to call the API from a browser ({@code KAPI_CORS_ORIGINS}, comma
 * separated); none by default, which leaves CORS closed.
 */
@ConfigurationProperties("kapi.cors")
public record CorsSettings(List<String> allowedOrigins) {

    public CorsSettings {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    }
}
