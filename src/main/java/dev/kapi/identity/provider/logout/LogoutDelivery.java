package dev.kapi.identity.provider.logout;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.provider.client.ClientTargets;
import dev.kapi.identity.token.KapiJwtEncoder;
import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Sends due back-channel logouts, as the webhooks' delivery does: a round claims them
 * with {@code FOR UPDATE SKIP LOCKED} by moving their next attempt a lease ahead, posts
 * each on its own virtual thread through a client that connects only to the address its
 * own checked lookup allowed ({@link ClientTargets#resolver()}), and records the answer:
 * a 2xx delivers it; anything else counts an attempt and schedules the next after the
 * back-off until {@code max-attempts}, then it has failed for good (audited).
 * <p>
 * The logout token is signed when it is sent, with the client's ID-token algorithm:
 * header {@code typ} {@value #TYPE}; {@code iss}, {@code aud} (the client id),
 * {@code iat}, {@code exp} (two minutes on), a random {@code jti}, {@code sub} and
 * {@code sid} as in the ID tokens, and the back-channel logout event. Its times come from
 * the system clock, as the provider's other tokens (a relying party judges them by its
 * own).
 */
@Component
public class LogoutDelivery implements DisposableBean {

    static final String TYPE = "logout+jwt";

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(LogoutDelivery.class);

    private final JdbcClient jdbc;

    private final KapiJwtEncoder encoder;

    private final String issuer;

    private final AuditLog audit;

    private final BackchannelLogoutSettings settings;

    private final Clock clock;

    private final CloseableHttpClient http;

    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    LogoutDelivery(JdbcClient jdbc, KapiJwtEncoder encoder, AuthorizationServerSettings server, AuditLog audit,
            BackchannelLogoutSettings settings, ClientTargets targets, OutboundHttp outbound, Clock clock) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.issuer = server.getIssuer();
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.http = outbound.client(targets.resolver(), settings.connectTimeout(), settings.readTimeout(),
                settings.batchSize());
    }

    private record Claimed(long id, UUID sessionId, String subject, int attempts, String url, String clientId,
            String algorithm, long accountId) {
    }

    private record Outcome(Integer status, String error) {

        static final Outcome ABANDONED = new Outcome(null, "interrupted");

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** One round: sends every due logout (up to the batch size); how many it tried. */
    public int deliverDue() {
        Instant now = clock.instant();
        List<Claimed> claimed = jdbc.sql("""
                UPDATE oauth2_logout_deliveries d SET next_attempt_at = :lease
                FROM oauth2_registered_client c
                WHERE c.id = d.registered_client_id AND d.id IN (
                    SELECT id FROM oauth2_logout_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= :now
                    ORDER BY next_attempt_at, id LIMIT :batch
                    FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.session_id, d.subject, d.attempts, c.backchannel_logout_uri, c.client_id,
                    c.id_token_alg
                """)
            .param("lease", utc(now.plus(settings.lease())))
            .param("now", utc(now))
            .param("batch", settings.batchSize())
            .query((rs, row) -> new Claimed(rs.getLong("id"), rs.getObject("session_id", UUID.class),
                    rs.getString("subject"), rs.getInt("attempts"), rs.getString("backchannel_logout_uri"),
                    rs.getString("client_id"), rs.getString("id_token_alg"), parse(rs.getString("subject"))))
            .list();
        List<Future<?>> sent = new ArrayList<>();
        for (Claimed delivery : claimed) {
            sent.add(calls.submit(() -> {
                Outcome outcome = send(delivery);
                if (outcome != Outcome.ABANDONED) {
                    record(delivery, outcome);
                }
            }));
        }
        for (Future<?> future : sent) {
            try {
                future.get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (Exception ex) {
                log.error("A back-channel logout could not be recorded; it is retried after its lease", ex);
            }
        }
        return claimed.size();
    }

    /** The signed logout token for a client and session. */
    String logoutToken(String clientId, String algorithm, String subject, UUID sessionId) {
        Instant issued = Clock.systemUTC().instant();
        JwsHeader header = JwsHeader.with(KapiJwtEncoder.algorithm(algorithm == null ? "RS256" : algorithm))
            .type(TYPE)
            .build();
        JwtClaimsSet claims = JwtClaimsSet.builder()
            .issuer(issuer)
            .audience(List.of(clientId))
            .issuedAt(issued)
            .expiresAt(issued.plus(TOKEN_LIFETIME))
            .id(UUID.randomUUID().toString())
            .subject(subject)
            .claim("sid", sessionId.toString())
            .claim("events", Map.of(EVENT, Map.of()))
            .build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    private Outcome send(Claimed delivery) {
        if (delivery.url() == null) {
            return new Outcome(null, "the client has no backchannel_logout_uri any more");
        }
        try {
            String token = logoutToken(delivery.clientId(), delivery.algorithm(), delivery.subject(),
                    delivery.sessionId());
            // A JWT is base64url parts and dots: nothing in it needs form encoding.
            String form = "logout_token=" + token;
            ClassicHttpRequest request = ClassicRequestBuilder.post(URI.create(delivery.url()))
                .setHeader("User-Agent", "Kapi-Backchannel-Logout/1")
                .setHeader("Cache-Control", "no-store")
                .setEntity(new StringEntity(form, ContentType.APPLICATION_FORM_URLENCODED))
                .build();
            int status = http.execute(request, response -> response.getCode());
            return new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status);
        }
        catch (CheckedResolver.RefusedAddressException ex) {
            return new Outcome(null, "target resolves to a private address");
        }
        catch (Exception ex) {
            if (Thread.currentThread().isInterrupted()) {
                return Outcome.ABANDONED;
            }
            return new Outcome(null, sanitize(ex));
        }
    }

    private void record(Claimed delivery, Outcome outcome) {
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        boolean failed = !outcome.delivered() && (attempts >= settings.maxAttempts() || delivery.url() == null);
        String state = outcome.delivered() ? "delivered" : failed ? "failed" : "pending";
        jdbc.sql("""
                UPDATE oauth2_logout_deliveries SET status = :state, attempts = :attempts, last_status = :status,
                    last_error = :error, next_attempt_at = :next, ended_at = :ended
                WHERE id = :id
                """)
            .param("state", state)
            .param("attempts", attempts)
            .param("status", outcome.status())
            .param("error", outcome.error())
            .param("next", utc(state.equals("pending") ? now.plus(backoff(attempts)) : now))
            .param("ended", state.equals("pending") ? null : utc(now))
            .param("id", delivery.id())
            .update();
        if (failed) {
            audit.record(AuditType.OAUTH_BACKCHANNEL_LOGOUT_FAILED, null,
                    delivery.accountId() < 0 ? null : delivery.accountId(), "client_id=" + delivery.clientId() + " sid="
                            + delivery.sessionId() + " attempts=" + attempts + " error=" + outcome.error());
        }
    }

    /**
     * The wait after the given number of failed attempts: first-retry, doubling, at most
     * max-backoff.
     */
    Duration backoff(int attempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(settings.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    private static long parse(String subject) {
        try {
            return Long.parseLong(subject);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static String sanitize(Exception ex) {
        String message = ex.getMessage() == null ? "" : ": " + ex.getMessage();
        String text = (ex.getClass().getSimpleName() + message).replaceAll("[\\p{Cntrl}]", " ");
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    @Override
    public void destroy() {
        calls.shutdownNow();
    }

}
