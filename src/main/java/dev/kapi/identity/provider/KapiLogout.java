package dev.kapi.identity.provider;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.web.authentication.logout.LogoutHandler;

import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.hosted.SsoAuthentication;
import dev.kapi.identity.hosted.SsoCookie;
import dev.kapi.identity.session.Sessions;

/**
 * RP-initiated logout ({@code /connect/logout}) as Kapı does it: SAS found the grant by
 * its ID token and checked the client and its {@code post_logout_redirect_uri}; this ends
 * the Kapı session the ID token names ({@code sid}) when it is the browser's own, so
 * every client's tokens of that session die with it, and clears the single sign-on
 * cookie. An ID token of another session ends nothing: a page that got hold of one cannot
 * sign the browser's owner out elsewhere.
 */
final class KapiLogout implements LogoutHandler {

    private final Sessions sessions;

    private final SsoCookie cookie;

    private final AuditLog audit;

    KapiLogout(Sessions sessions, SsoCookie cookie, AuditLog audit) {
        this.sessions = sessions;
        this.cookie = cookie;
        this.audit = audit;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (!(authentication instanceof OidcLogoutAuthenticationToken logout)
                || !(SecurityContextHolder.getContext().getAuthentication() instanceof SsoAuthentication browser)) {
            return;
        }
        OidcIdToken idToken = logout.getIdToken();
        String sid = idToken == null ? null : idToken.getClaimAsString("sid");
        if (!browser.sessionId().toString().equals(sid)) {
            return;
        }
        if (sessions.end(browser.accountId(), browser.sessionId(), "oidc-logout")) {
            audit.record(AuditType.LOGOUT, browser.accountId(), browser.accountId(), "client " + logout.getClientId());
        }
        cookie.clear(response);
        SecurityContextHolder.clearContext();
    }

}
