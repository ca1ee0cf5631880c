package dev.kapi.identity.provider;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What an authorization request is refused for before Spring Authorization Server's own
 * converters see it, as the hosted error page (400), never a redirect:
 * <ul>
 * <li>a {@code request_uri}: Kapı takes no request by reference (its discovery documents
 * say {@code request_uri_parameter_supported: false} and name no pushed authorization
 * request endpoint), but SAS would take one and, for a browser that is not signed in,
 * send it on to the sign-in page before checking anything else of the request — an
 * unknown client, a foreign {@code redirect_uri}. OpenID Connect's
 * {@code request_uri_not_supported}.</li>
 * <li>a {@code state} or {@code nonce} over {@value #MAX_ECHOED} characters: both come
 * back (in the redirect to the client, in the ID token), and a 10,000-character
 * {@code state} made the code's redirect too long a header for the server to write (a 500
 * with nothing sent). {@code invalid_request}.</li>
 * </ul>
 */
final class AuthorizationRequestRefusals implements AuthenticationConverter {

    static final String REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported";

    /** The longest {@code state} or {@code nonce} taken. */
    static final int MAX_ECHOED = 2_048;

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (request.getParameter("request_uri") != null) {
            throw refused(REQUEST_URI_NOT_SUPPORTED, "request_uri");
        }
        for (String echoed : new String[] { "state", "nonce" }) {
            String value = request.getParameter(echoed);
            if (value != null && value.length() > MAX_ECHOED) {
                throw refused(OAuth2ErrorCodes.INVALID_REQUEST, echoed);
            }
        }
        return null;
    }

    private static OAuth2AuthenticationException refused(String code, String parameter) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, "OAuth 2.0 Parameter: " + parameter, null));
    }

}
