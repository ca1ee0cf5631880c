package dev.kapi.identity.federation;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.identity.token.SecretTokens;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The started sign-ins ({@code external_sign_in_states}) and the one-time codes of the
 * finished ones ({@code external_sign_in_codes}). Each is keyed by its secret's SHA-256
 * and taken with one {@code DELETE … RETURNING}, so it is used once however many requests
 * race for it.
 */
@Repository
class ExternalSignIns {

    private final JdbcClient jdbc;

    ExternalSignIns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A started sign-in, as its callback finds it: {@code codeVerifier} is Kapı's own
     * towards the provider, {@code codeChallenge} the app's towards Kapı (or null).
     */
    record State(long providerId, String browserHash, String nonce, String codeVerifier, String redirectUri,
            String returnTo, Long linkAccountId, String codeChallenge) {
    }

    /**
     * A finished sign-in waiting for its code's exchange, with the app's challenge (or
     * null); a {@code browserBound} one (the hosted page's) is exchanged only in the
     * browser of {@code browserHash}.
     */
    record Code(long accountId, String alias, String browserHash, List<String> amr, String codeChallenge,
            boolean browserBound) {
    }

    void start(String state, State row, String authorizationUrl, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO external_sign_in_states (state_hash, provider_id, browser_hash, nonce, code_verifier,
                    redirect_uri, return_to, link_account_id, authorization_url, code_challenge, expires_at)
                VALUES (:state, :provider, :browser, :nonce, :verifier, :redirect, :returnTo, :link, :url, :challenge,
                    :expires)
                """)
            .param("state", SecretTokens.hash(state))
            .param("provider", row.providerId())
            .param("browser", row.browserHash())
            .param("nonce", row.nonce())
            .param("verifier", row.codeVerifier())
            .param("redirect", row.redirectUri())
            .param("returnTo", row.returnTo())
            .param("link", row.linkAccountId())
            .param("url", authorizationUrl)
            .param("challenge", row.codeChallenge())
            .param("expires", utc(expiresAt))
            .update();
    }

    /**
     * Binds a link waiting for its browser to that browser (the ticket's first use) and
     * answers where to send it.
     */
    Optional<String> claimTicket(String ticket, String browserHash, Instant now) {
        return jdbc.sql("""
                WITH waiting AS (
                    SELECT state_hash, authorization_url FROM external_sign_in_states
                    WHERE browser_hash = :ticket AND authorization_url IS NOT NULL AND expires_at > :now
                    FOR UPDATE)
                UPDATE external_sign_in_states s SET browser_hash = :browser, authorization_url = NULL
                FROM waiting WHERE s.state_hash = waiting.state_hash
                RETURNING waiting.authorization_url
                """)
            .param("browser", browserHash)
            .param("ticket", ticketHash(ticket))
            .param("now", utc(now))
            .query(String.class)
            .optional();
    }

    static String ticketHash(String ticket) {
        return "ticket:" + SecretTokens.hash(ticket);
    }

    /** Takes the started sign-in of {@code state}, once, if it has not expired. */
    Optional<State> take(String state, Instant now) {
        return jdbc.sql("""
                DELETE FROM external_sign_in_states WHERE state_hash = :state AND authorization_url IS NULL
                RETURNING provider_id, browser_hash, nonce, code_verifier, redirect_uri, return_to, link_account_id,
                    code_challenge, expires_at > :now AS live
                """)
            .param("state", SecretTokens.hash(state))
            .param("now", utc(now))
            .query((rs, row) -> rs.getBoolean("live")
                    ? Optional
                        .of(new State(rs.getLong("provider_id"), rs.getString("browser_hash"), rs.getString("nonce"),
                                rs.getString("code_verifier"), rs.getString("redirect_uri"), rs.getString("return_to"),
                                (Long) rs.getObject("link_account_id"), rs.getString("code_challenge")))
                    : Optional.<State>empty())
            .optional()
            .flatMap(found -> found);
    }

    void issue(String code, Code row, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO external_sign_in_codes (code_hash, account_id, alias, browser_hash, amr, code_challenge,
                    browser_bound, expires_at)
                VALUES (:code, :account, :alias, :browser, :amr, :challenge, :bound, :expires)
                """)
            .param("code", SecretTokens.hash(code))
            .param("account", row.accountId())
            .param("alias", row.alias())
            .param("browser", row.browserHash())
            .param("amr", String.join(" ", row.amr()))
            .param("challenge", row.codeChallenge())
            .param("bound", row.browserBound())
            .param("expires", utc(expiresAt))
            .update();
    }

    /** Takes the finished sign-in of {@code code}, once, if it has not expired. */
    Optional<Code> redeem(String code, Instant now) {
        return jdbc.sql("""
                DELETE FROM external_sign_in_codes WHERE code_hash = :code
                RETURNING account_id, alias, browser_hash, amr, code_challenge, browser_bound,
                    expires_at > :now AS live
                """)
            .param("code", SecretTokens.hash(code))
            .param("now", utc(now))
            .query((rs,
                    row) -> rs.getBoolean("live")
                            ? Optional.of(new Code(rs.getLong("account_id"), rs.getString("alias"),
                                    rs.getString("browser_hash"), Arrays.asList(rs.getString("amr").split(" ")),
                                    rs.getString("code_challenge"), rs.getBoolean("browser_bound")))
                            : Optional.<Code>empty())
            .optional()
            .flatMap(found -> found);
    }

}
