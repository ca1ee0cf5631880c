package dev.kapi.shared;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.UrlPathHelper;

/**
 * The path of a request as routing sees it: percent-decoded, without path parameters,
 * duplicate slashes or the context path. Every rule that looks at a path (public routes,
 * rate limits, body caps) uses this one, so that {@code /auth/%6Cogin} is
 * {@code /auth/login} to all of them, as it is to routing. Compare strings with
 * {@link #of}; match Spring path patterns against {@link #container}, which decodes each
 * segment itself (decoding twice would turn {@code %25} into a broken escape).
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static String of(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }

    /**
     * The path within the application as Spring's {@code PathPattern}s match it, segments
     * still encoded.
     */
    public static PathContainer container(HttpServletRequest request) {
        return RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
    }

}
