package dev.kapi.identity.passkey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.account.Account;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.PublicUrl;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Passkeys through Spring Security's WebAuthn support (webauthn4j does the verifying; its
 * JDBC repositories keep the credentials). Kapı's API is stateless, so the options of a
 * ceremony wait in {@code passkey_ceremonies} for five minutes, named by a
 * {@code ceremony_id}, instead of in an HTTP session, as JSON
 * ({@link PasskeyCeremonyOptions}). An account's user entity is named by the account id
 * and shows its email.
 */
@Component
public class Passkeys {

    static final String REGISTER = "register";
    static final String SIGN_IN = "sign-in";

    private static final Duration CEREMONY = Duration.ofMinutes(5);

    private final JdbcPublicKeyCredentialUserEntityRepository userEntities;

    private final JdbcUserCredentialRepository credentials;

    private final JdbcClient jdbc;

    private final PasskeySettings settings;

    private final PublicUrl site;

    private final Environment environment;

    private final Clock clock;

    private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

    private volatile WebAuthnRelyingPartyOperations operations;

    Passkeys(JdbcTemplate jdbcTemplate, JdbcClient jdbc, PasskeySettings settings, PublicUrl site,
            Environment environment, Clock clock) {
        this.userEntities = new JdbcPublicKeyCredentialUserEntityRepository(jdbcTemplate);
        this.credentials = new JdbcUserCredentialRepository(jdbcTemplate);
        this.jdbc = jdbc;
        this.settings = settings;
        this.site = site;
        this.environment = environment;
        this.clock = clock;
    }

    /**
     * A ceremony's id and the options for {@code navigator.credentials.create/get}
     * (WebAuthn JSON).
     */
    public record Ceremony(UUID id, JsonNode options) {
    }

    /** One registered passkey as its owner sees it. */
    public record Passkey(String id, String label, Instant createdAt, Instant lastUsedAt) {

        static Passkey from(CredentialRecord record) {
            return new Passkey(record.getCredentialId().toBase64UrlString(), record.getLabel(), record.getCreated(),
                    record.getLastUsed());
        }
    }

    public Ceremony startRegistration(Account account) {
        if (userEntities.findByUsername(name(account.id())) == null) {
            userEntities.save(ImmutablePublicKeyCredentialUserEntity.builder()
                .id(Bytes.random())
                .name(name(account.id()))
                .displayName(account.email())
                .build());
        }
        PublicKeyCredentialCreationOptions options = operations().createPublicKeyCredentialCreationOptions(
                new ImmutablePublicKeyCredentialCreationOptionsRequest(authentication(account.id())));
        return new Ceremony(save(REGISTER, account.id(), options), json.valueToTree(options));
    }

    public Passkey finishRegistration(long accountId, UUID ceremonyId, String label, JsonNode credential) {
        PublicKeyCredentialCreationOptions options = take(ceremonyId, REGISTER, accountId,
                PublicKeyCredentialCreationOptions.class);
        try {
            RelyingPartyPublicKey key = json.treeToValue(
                    json.createObjectNode().put("label", label).set("credential", credential),
                    RelyingPartyPublicKey.class);
            return Passkey
                .from(operations().registerCredential(new ImmutableRelyingPartyRegistrationRequest(options, key)));
        }
        catch (RuntimeException ex) {
            throw ApiException.invalidField("credential", "passkey-invalid");
        }
    }

    public List<Passkey> of(long accountId) {
        return Optional.ofNullable(userEntities.findByUsername(name(accountId)))
            .map(user -> credentials.findByUserId(user.getId()).stream().map(Passkey::from).toList())
            .orElse(List.of());
    }

    public boolean any(long accountId) {
        return !of(accountId).isEmpty();
    }

    /** Removes one of the account's passkeys; false when it has no such passkey. */
    public boolean remove(long accountId, String passkeyId) {
        if (of(accountId).stream().noneMatch(passkey -> passkey.id().equals(passkeyId))) {
            return false;
        }
        credentials.delete(Bytes.fromBase64(passkeyId));
        return true;
    }

    public void removeAll(long accountId) {
        jdbc.sql("DELETE FROM user_entities WHERE name = :name").param("name", name(accountId)).update();
    }

    /**
     * Options to sign in: any discoverable passkey ({@code accountId} null), which then
     * stands for both factors and so must verify its user, or one of that account's, as a
     * second factor or a re-authentication (user verification preferred: a security key
     * without a PIN still proves possession).
     */
    public Ceremony startSignIn(Long accountId) {
        PublicKeyCredentialRequestOptions options = operations()
            .createCredentialRequestOptions(new ImmutablePublicKeyCredentialRequestOptionsRequest(
                    accountId == null ? null : authentication(accountId)));
        if (accountId == null) {
            options = PublicKeyCredentialRequestOptions.builder()
                .challenge(options.getChallenge())
                .timeout(options.getTimeout())
                .rpId(options.getRpId())
                .allowCredentials(options.getAllowCredentials())
                .userVerification(UserVerificationRequirement.REQUIRED)
                .extensions(options.getExtensions())
                .build();
        }
        return new Ceremony(save(SIGN_IN, accountId, options), json.valueToTree(options));
    }

    /**
     * A verified assertion: the account it signed, and whether the authenticator verified
     * its user (UV flag).
     */
    public record Assertion(long accountId, boolean userVerified) {
    }

    /**
     * The UV bit of the flags byte that follows the 32-byte RP id hash in authenticator
     * data (WebAuthn §6.1).
     */
    private static final int USER_VERIFIED = 0x04;

    /**
     * Verifies the authenticator's assertion; the account it signed in, which must be
     * {@code expected} if given.
     */
    public Assertion finishSignIn(UUID ceremonyId, JsonNode credential, Long expected) {
        PublicKeyCredentialRequestOptions options = take(ceremonyId, SIGN_IN, expected,
                PublicKeyCredentialRequestOptions.class);
        PublicKeyCredentialUserEntity user;
        Boolean userVerified = null;
        try {
            PublicKeyCredential<AuthenticatorAssertionResponse> assertion = json.treeToValue(credential,
                    new TypeReference<PublicKeyCredential<AuthenticatorAssertionResponse>>() {
                    });
            // Signed by the authenticator with the rest of its data: it counts only once
            // the signature checked out.
            byte[] data = assertion.getResponse().getAuthenticatorData().getBytes();
            userVerified = data.length > 32 && (data[32] & USER_VERIFIED) != 0;
            user = operations().authenticate(new RelyingPartyAuthenticationRequest(options, assertion));
        }
        catch (RuntimeException ex) {
            // webauthn4j refuses an assertion without the UV flag when the options
            // required it: say why.
            throw ApiException.invalidField("credential",
                    options.getUserVerification() == UserVerificationRequirement.REQUIRED
                            && Boolean.FALSE.equals(userVerified) ? "passkey-user-verification-required"
                                    : "passkey-invalid");
        }
        long accountId = Long.parseLong(user.getName());
        if (expected != null && expected != accountId) {
            throw ApiException.invalidField("credential", "passkey-invalid");
        }
        return new Assertion(accountId, userVerified);
    }

    @EventListener
    void on(AccountDeleted deleted) {
        removeAll(deleted.accountId());
    }

    private UUID save(String kind, Long accountId, Object options) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM passkey_ceremonies WHERE expires_at < :now").param("now", utc(now)).update();
        jdbc.sql("""
                INSERT INTO passkey_ceremonies (id, kind, account_id, options, expires_at)
                VALUES (:id, :kind, :account, CAST(:options AS jsonb), :expires)
                """)
            .param("id", id)
            .param("kind", kind)
            .param("account", accountId)
            .param("options", PasskeyCeremonyOptions.write(json, options))
            .param("expires", utc(now.plus(CEREMONY)))
            .update();
        return id;
    }

    /**
     * Uses a live ceremony of the kind and account up; 400 {@code ceremony_id} otherwise,
     * also when its stored options do not read as such (a row planted through an edited
     * backup, say).
     */
    private <T> T take(UUID ceremonyId, String kind, Long accountId, Class<T> type) {
        String options = jdbc.sql("""
                DELETE FROM passkey_ceremonies
                WHERE id = :id AND kind = :kind AND account_id IS NOT DISTINCT FROM :account AND expires_at > :now
                RETURNING options::text
                """)
            .param("id", ceremonyId)
            .param("kind", kind)
            .param("account", accountId)
            .param("now", utc(clock.instant()))
            .query(String.class)
            .optional()
            .orElseThrow(() -> ApiException.invalidField("ceremony_id", "passkey-ceremony-invalid"));
        try {
            return PasskeyCeremonyOptions.read(json, options, type);
        }
        catch (PasskeyCeremonyOptions.Invalid ex) {
            throw ApiException.invalidField("ceremony_id", "passkey-ceremony-invalid");
        }
    }

    private WebAuthnRelyingPartyOperations operations() {
        WebAuthnRelyingPartyOperations current = operations;
        if (current == null) {
            List<String> configured = settings.origins().stream().filter(origin -> !origin.isBlank()).toList();
            Set<String> origins = (configured.isEmpty() ? List.of(site.publicUrl()) : configured).stream()
                .map(environment::resolveRequiredPlaceholders)
                .collect(Collectors.toUnmodifiableSet());
            current = new Webauthn4JRelyingPartyOperations(userEntities, credentials,
                    PublicKeyCredentialRpEntity.builder().id(settings.rpId()).name(settings.rpName()).build(), origins);
            operations = current;
        }
        return current;
    }

    private static Authentication authentication(long accountId) {
        return UsernamePasswordAuthenticationToken.authenticated(name(accountId), null, List.of());
    }

    private static String name(long accountId) {
        return Long.toString(accountId);
    }

}
