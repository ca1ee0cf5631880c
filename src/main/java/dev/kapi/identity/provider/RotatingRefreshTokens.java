package dev.kapi.identity.provider;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.kapi.identity.token.SecretTokens;

/**
 * Refresh tokens for every client with the {@code refresh_token} grant, public ones too
 * (SAS's own generator gives none to a public client on the code grant): 256 random bits,
 * living as the client's settings say. They rotate on each use with reuse detection
 * ({@link KapiAuthorizations}), which is what makes them safe in a browser.
 */
final class RotatingRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private final Clock clock;

    RotatingRefreshTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
            return null;
        }
        Instant issuedAt = clock.instant();
        return new OAuth2RefreshToken(SecretTokens.generate(), issuedAt,
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
    }

}
