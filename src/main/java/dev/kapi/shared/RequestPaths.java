package dev.kapi.shared;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UrlPathHelper;

/**
 * The path of a request as routing sees it: percent-decoded, without path parameters, duplicate slashes
 * or the context path. Every rule that looks at a path (public routes, rate limits, body caps) uses this
 * one, so that {@code /auth/%6Cogin} is {@code /auth/login} to all of them, as it is to routing.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static String of(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }
}
