package dev.kapi.identity.hosted;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The hosted error page ({@code /oauth2/error}'s) written straight onto a response, for
 * the provider's endpoints: an error that cannot go back to the client is shown here, in
 * the browser's language, with the page's status (400) and headers. Never a redirect.
 */
@Component
public final class HostedErrors {

    private final HostedPages pages;

    HostedErrors(HostedPages pages) {
        this.pages = pages;
    }

    /**
     * Writes the page explaining an OAuth error code (an unknown one is a generic error).
     */
    public void show(HttpServletRequest request, HttpServletResponse response, String error) throws IOException {
        ResponseEntity<String> page = ErrorPage.page(pages, pages.locale(request, Optional.empty()), error);
        response.setStatus(page.getStatusCode().value());
        page.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.getWriter().write(page.getBody());
        response.flushBuffer();
    }

}
