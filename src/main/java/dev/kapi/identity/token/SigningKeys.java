package dev.kapi.identity.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.shared.cluster.ClusterMessages;
import dev.kapi.shared.sealing.SecretSealer;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The asymmetric keys Kapı signs with: one line of keys per algorithm, RS256 and ES256
 * always (the OpenID provider's ID and access tokens) and {@code KAPI_JWT_ALGORITHM} when
 * it is not HS256 (Kapı's own access tokens). Keys live in PostgreSQL (private halves
 * sealed with the master key) and in memory on every instance, which reloads them when
 * one instance announces a new key on the {@code signing-keys} topic; which key of a line
 * signs is a function of the keys and the time, so every instance signs with the same
 * one. A key signs from its {@code activates_at} until the next key of its algorithm
 * activates; it is published from its creation (the schedule creates the next key
 * {@code publish-lead} before it activates) until the last token it signed has expired.
 * An immediate rotation is for a suspected leak: it revokes every key of the line still
 * published ({@code revoked_at}), which leaves the JWKS and stops verifying at once on
 * every instance, and never signs again.
 */
@Component
public class SigningKeys implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private static final String TOPIC = "signing-keys";

    private static final long ROTATION_LOCK = 0x4b617069_4b657973L;

    private final JdbcClient jdbc;

    private final TransactionOperations transactions;

    private final SecretSealer sealer;

    private final ClusterMessages cluster;

    private final Clock clock;

    private final SigningSettings settings;

    /** How long after a key stopped signing its last token may still be presented. */
    private final Duration tokenLifetime;

    private volatile List<SigningKey> keys = List.of();

    SigningKeys(JdbcClient jdbc, TransactionOperations transactions, SecretSealer sealer, ClusterMessages cluster,
            Clock clock, SigningSettings settings, IdentitySettings identity) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.sealer = sealer;
        this.cluster = cluster;
        this.clock = clock;
        this.settings = settings;
        this.tokenLifetime = identity.accessTokenLifetime().plus(AccessTokens.CLOCK_SKEW);
    }

    /** A key with its signer (its private half opened) and verifier. */
    record SigningKey(String kid, JWSAlgorithm algorithm, JWK publicJwk, JWSSigner signer, JWSVerifier verifier,
            JWSHeader header, Instant createdAt, Instant activatesAt, Instant revokedAt) {

        SigningKey revokedAt(Instant at) {
            return new SigningKey(kid, algorithm, publicJwk, signer, verifier, header, createdAt, activatesAt, at);
        }

        boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A key as the admin API shows it: when it signs and until when it is published. */
    record KeyView(String kid, String algorithm, Instant createdAt, Instant activatesAt, Instant signsUntil,
            Instant publishedUntil, String state) {
    }

    /** The algorithms the provider signs with, whatever Kapı's own tokens use. */
    static final List<String> PROVIDER_ALGORITHMS = List.of("RS256", "ES256", "EdDSA");

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> reload(), this::reload);
        reload();
        algorithms().forEach(this::current);
    }

    /** The algorithms that have a line of keys here: the provider's and Kapı's own. */
    List<String> algorithms() {
        List<String> algorithms = new ArrayList<>(PROVIDER_ALGORITHMS);
        if (settings.asymmetric() && !algorithms.contains(settings.algorithm())) {
            algorithms.add(settings.algorithm());
        }
        return algorithms;
    }

    /** Why a key is to be created. */
    private enum Reason {

        MISSING, SCHEDULED, ADMIN, ADMIN_IMMEDIATE

    }

    /**
     * The key of Kapı's own tokens ({@code KAPI_JWT_ALGORITHM}) that signs now, created
     * first when there is none.
     */
    SigningKey current() {
        return current(settings.algorithm());
    }

    /**
     * The key of the algorithm that signs now, created first when there is none; an
     * algorithm Kapı keeps no keys of is an {@link IllegalArgumentException}.
     */
    SigningKey current(String algorithm) {
        if (!algorithms().contains(algorithm)) {
            throw new IllegalArgumentException("No signing keys of " + algorithm);
        }
        Instant now = clock.instant();
        List<SigningKey> line = line(keys, algorithm);
        SigningKey current = signingAt(line, now);
        if (current == null) {
            rotate(algorithm, Reason.MISSING);
            current = signingAt(line(keys, algorithm), clock.instant());
        }
        else if (due(line, current, now)) {
            rotate(algorithm, Reason.SCHEDULED);
        }
        return current;
    }

    /**
     * Whether the key with this id is published now, so its tokens may still be accepted.
     */
    boolean publishes(Object kid) {
        Instant now = clock.instant();
        List<SigningKey> all = keys;
        return all.stream().anyMatch(key -> key.kid().equals(kid) && published(lineOf(all, key), key, now));
    }

    /** The published key with this id and algorithm, if it may still verify a token. */
    Optional<JWSVerifier> verifier(JWSHeader header) {
        Instant now = clock.instant();
        List<SigningKey> all = keys;
        return all.stream()
            .filter(key -> key.kid().equals(header.getKeyID()) && key.algorithm().equals(header.getAlgorithm()))
            .filter(key -> published(lineOf(all, key), key, now))
            .map(SigningKey::verifier)
            .findFirst();
    }

    /**
     * The public keys relying parties verify tokens with: every key not yet retired, of
     * every algorithm.
     */
    public JWKSet published() {
        Instant now = clock.instant();
        List<SigningKey> all = keys;
        return new JWKSet(
                all.stream().filter(key -> published(lineOf(all, key), key, now)).map(SigningKey::publicJwk).toList());
    }

    List<KeyView> views() {
        Instant now = clock.instant();
        List<KeyView> views = new ArrayList<>();
        for (SigningKey key : keys.reversed()) {
            List<SigningKey> all = lineOf(keys, key);
            SigningKey signing = signingAt(all, now);
            if (key.revoked()) {
                Instant until = successor(all, key).map(SigningKey::activatesAt)
                    .filter(next -> next.isBefore(key.revokedAt()))
                    .orElse(key.revokedAt());
                views.add(new KeyView(key.kid(), key.algorithm().getName(), key.createdAt(), key.activatesAt(), until,
                        key.revokedAt(), "revoked"));
                continue;
            }
            Instant until = successor(all, key).map(SigningKey::activatesAt).orElse(null);
            Instant publishedUntil = until == null ? null : until.plus(tokenLifetime);
            String state = key == signing ? "signing"
                    : now.isBefore(key.activatesAt()) ? "published" : published(all, key, now) ? "retiring" : "retired";
            views.add(new KeyView(key.kid(), key.algorithm().getName(), key.createdAt(), key.activatesAt(), until,
                    publishedUntil, state));
        }
        return views;
    }

    /**
     * The schedule's check, every minute on every instance (one of them creates the next
     * key).
     */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void keepSchedule() {
        algorithms().forEach(this::current);
    }

    /**
     * Creates a new key: signing at once ({@code immediate}, when the current key is
     * suspected to leak: every key still published is revoked with it) or after the
     * publish lead, the old key staying published until its last token expired. Without
     * {@code immediate}, a key already waiting to sign is the answer.
     */
    KeyView rotateByAdmin(String algorithm, boolean immediate) {
        if (algorithm == null && !settings.asymmetric()) {
            throw dev.kapi.shared.ApiException.conflict("signing-keys-symmetric");
        }
        String line = algorithm == null ? settings.algorithm() : algorithm;
        if (!algorithms().contains(line)) {
            throw dev.kapi.shared.ApiException.invalidField("algorithm", "signing-keys-algorithm-unknown",
                    String.join(", ", algorithms()));
        }
        String kid = rotate(line, immediate ? Reason.ADMIN_IMMEDIATE : Reason.ADMIN);
        return views().stream().filter(view -> view.kid().equals(kid)).findFirst().orElseThrow();
    }

    /**
     * Creates the next key under a lock every instance takes, after checking again on the
     * database's keys that it is still needed; answers the kid of the new key, or of the
     * one that made it unneeded.
     */
    private String rotate(String algorithm, Reason reason) {
        String kid = transactions.execute(status -> {
            jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
                .param("key", ROTATION_LOCK)
                .query(Integer.class)
                .single();
            List<SigningKey> fresh = line(load(), algorithm);
            Instant now = clock.instant();
            SigningKey current = signingAt(fresh, now);
            boolean usable = current != null;
            Optional<SigningKey> waiting = current == null ? Optional.empty() : successor(fresh, current);
            Instant activates;
            switch (reason) {
                case MISSING -> {
                    if (usable) {
                        return current.kid();
                    }
                    activates = now;
                }
                case SCHEDULED -> {
                    if (!usable || !due(fresh, current, now)) {
                        return current == null ? null : current.kid();
                    }
                    activates = latest(current.activatesAt().plus(settings.rotation()),
                            now.plus(settings.publishLead()));
                }
                case ADMIN -> {
                    if (waiting.isPresent()) {
                        return waiting.get().kid();
                    }
                    activates = now.plus(settings.publishLead());
                }
                default -> {
                    activates = now;
                    revokePublished(fresh, now);
                }
            }
            JWK generated = generate(algorithm);
            jdbc.sql("""
                    INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk_sealed, created_at, activates_at)
                    VALUES (:kid, :algorithm, :public, :sealed, :now, :activates)
                    """)
                .param("kid", generated.getKeyID())
                .param("algorithm", algorithm)
                .param("public", generated.toPublicJWK().toJSONString())
                .param("sealed", sealer.seal(generated.toJSONString(), context(generated.getKeyID())))
                .param("now", utc(now))
                .param("activates", utc(activates))
                .update();
            cluster.publish(TOPIC, generated.getKeyID());
            log.info("New {} signing key {} ({}), signing from {}", algorithm, generated.getKeyID(), reason, activates);
            return generated.getKeyID();
        });
        reload();
        return kid;
    }

    /**
     * Revokes every key still published (the signing one, those retiring, one waiting to
     * sign): their private halves may have leaked together, and clients refresh their
     * tokens anyway.
     */
    private void revokePublished(List<SigningKey> all, Instant now) {
        List<String> revoked = all.stream().filter(key -> published(all, key, now)).map(SigningKey::kid).toList();
        if (!revoked.isEmpty()) {
            jdbc.sql("UPDATE signing_keys SET revoked_at = :now WHERE kid IN (:kids)")
                .param("now", utc(now))
                .param("kids", revoked)
                .update();
            log.warn("Signing keys {} revoked by an immediate rotation: no longer published, their tokens fail",
                    revoked);
        }
    }

    /**
     * Whether the next key is to be created now: the rotation is near and no successor
     * exists yet.
     */
    private boolean due(List<SigningKey> all, SigningKey current, Instant now) {
        return !now.isBefore(current.activatesAt().plus(settings.rotation()).minus(settings.publishLead()))
                && successor(all, current).isEmpty();
    }

    private synchronized void reload() {
        keys = load();
    }

    private List<SigningKey> load() {
        Map<String, SigningKey> known = new java.util.HashMap<>();
        keys.forEach(key -> known.put(key.kid(), key));
        return jdbc
            .sql("SELECT kid, algorithm, private_jwk_sealed, created_at, activates_at, revoked_at "
                    + "FROM signing_keys")
            .query((rs, row) -> {
                SigningKey cached = known.get(rs.getString("kid"));
                Instant revokedAt = instant(rs, "revoked_at");
                return cached != null ? cached.revokedAt(revokedAt)
                        : open(rs.getString("kid"), rs.getString("private_jwk_sealed"), instant(rs, "created_at"),
                                instant(rs, "activates_at"), revokedAt);
            })
            .list()
            .stream()
            .sorted(Comparator.comparing(SigningKey::activatesAt).thenComparing(SigningKey::createdAt))
            .toList();
    }

    private SigningKey open(String kid, String sealed, Instant createdAt, Instant activatesAt, Instant revokedAt) {
        try {
            JWK jwk = JWK.parse(sealer.open(sealed, context(kid)));
            JWSAlgorithm algorithm = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            Crypto crypto = crypto(jwk);
            JWSHeader header = new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build();
            return new SigningKey(kid, algorithm, jwk.toPublicJWK(), crypto.signer(), crypto.verifier(), header,
                    createdAt, activatesAt, revokedAt);
        }
        catch (ParseException | JOSEException ex) {
            throw new IllegalStateException("Signing key " + kid + " cannot be opened", ex);
        }
    }

    /** What signs with a private key and what verifies with its public half. */
    record Crypto(JWSSigner signer, JWSVerifier verifier) {
    }

    /**
     * Nimbus's signer and verifier for one of the asymmetric kinds Kapi generates (EC,
     * OKP, RSA).
     */
    static Crypto crypto(JWK jwk) throws JOSEException {
        return switch (jwk) {
            case ECKey ec -> new Crypto(new ECDSASigner(ec), new ECDSAVerifier(ec.toPublicJWK()));
            case OctetKeyPair okp -> new Crypto(new Ed25519Signer(okp), new Ed25519Verifier(okp.toPublicJWK()));
            case RSAKey rsa -> new Crypto(new RSASSASigner(rsa), new RSASSAVerifier(rsa.toPublicJWK()));
            default -> throw new IllegalStateException("Unknown signing key type " + jwk.getKeyType());
        };
    }

    static JWK generate(String algorithm) {
        try {
            return switch (algorithm) {
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
                case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.EdDSA)
                    .keyIDFromThumbprint(true)
                    .generate();
                case "RS256" -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
                default -> throw new IllegalArgumentException(algorithm);
            };
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot generate a " + algorithm + " key", ex);
        }
    }

    /** The keys of one algorithm, in their order. */
    private static List<SigningKey> line(List<SigningKey> all, String algorithm) {
        return all.stream().filter(key -> key.algorithm().getName().equals(algorithm)).toList();
    }

    private static List<SigningKey> lineOf(List<SigningKey> all, SigningKey key) {
        return line(all, key.algorithm().getName());
    }

    /**
     * The key that signs at {@code now}: the last one not revoked that activated by then.
     */
    private static SigningKey signingAt(List<SigningKey> all, Instant now) {
        SigningKey signing = null;
        for (SigningKey key : all) {
            if (!key.revoked() && !now.isBefore(key.activatesAt())) {
                signing = key;
            }
        }
        return signing;
    }

    /**
     * The key after this one among those that sign or signed: a key revoked before its
     * time never took over (and one revoked after it did, so the key before it stays
     * retired).
     */
    private static Optional<SigningKey> successor(List<SigningKey> all, SigningKey key) {
        List<SigningKey> line = all.stream()
            .filter(other -> other == key || !other.revoked() || !other.revokedAt().isBefore(other.activatesAt()))
            .toList();
        int index = line.indexOf(key);
        return index >= 0 && index + 1 < line.size() ? Optional.of(line.get(index + 1)) : Optional.empty();
    }

    /**
     * Whether the key of this line may still verify: not revoked, of an algorithm Kapı
     * still signs with (a line left behind by a change of {@code KAPI_JWT_ALGORITHM} ends
     * there), and its successor's tokens not all expired.
     */
    private boolean published(List<SigningKey> all, SigningKey key, Instant now) {
        return !key.revoked() && algorithms().contains(key.algorithm().getName())
                && successor(all, key).map(next -> now.isBefore(next.activatesAt().plus(tokenLifetime))).orElse(true);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

}
