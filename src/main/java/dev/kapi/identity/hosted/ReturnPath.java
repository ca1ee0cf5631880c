package dev.kapi.identity.hosted;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Where a hosted page sends the browser once it is done: only a path of Kapı itself
 * ({@code /oauth2/authorize?…}), never another origin. An absolute address, a
 * scheme-relative {@code //host}, a backslash (which browsers read as a slash) or a
 * control character is refused, and the page falls back to its own neutral page.
 */
record ReturnPath(String path) {

    static final int MAX_LENGTH = 4096;

    /** The path, when {@code raw} is one this origin may be sent to. */
    static Optional<ReturnPath> of(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH || !raw.startsWith("/") || raw.startsWith("//")
                || raw.indexOf('\\') >= 0 || raw.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/")) {
                return Optional.empty();
            }
        }
        catch (java.net.URISyntaxException ex) {
            return Optional.empty();
        }
        return Optional.of(new ReturnPath(raw));
    }

    /** A query parameter of the path (decoded), e.g. {@code login_hint}. */
    Optional<String> parameter(String name) {
        MultiValueMap<String, String> query = UriComponentsBuilder.fromUriString(path).build().getQueryParams();
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return Optional.empty();
        }
        try {
            return Optional
                .of(UriUtils.decode(values.get(0).replace('+', ' '), java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

}
