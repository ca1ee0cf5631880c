package dev.kapi.identity.federation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where GitHub's OAuth endpoints ({@code KAPI_GITHUB_BASE_URL}) and REST API
 * ({@code KAPI_GITHUB_API_URL}) are; tests point both at a stub.
 */
@ConfigurationProperties("kapi.github")
record GitHubSettings(@DefaultValue("https://github.com") String baseUrl,
        @DefaultValue("https://api.github.com") String apiUrl) {

    String base() {
        return baseUrl.replaceAll("/+$", "");
    }

    String api() {
        return apiUrl.replaceAll("/+$", "");
    }
}
