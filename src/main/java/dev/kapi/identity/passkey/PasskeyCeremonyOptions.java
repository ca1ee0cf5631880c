package dev.kapi.identity.passkey;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorAttachment;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialDescriptor;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A passkey ceremony's options as {@code passkey_ceremonies.options} keeps them: JSON of
 * Kapı's own records (Spring Security's Jackson module writes the options but does not
 * read them), holding what verifying the authenticator's answer reads, rebuilt with the
 * options' builders. Never Java serialisation: a row is data, and a row that is not what
 * {@link #write} wrote (planted, say) reads as {@link Invalid}, never as a 500.
 */
final class PasskeyCeremonyOptions {

    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(PublicKeyCredentialParameters.EdDSA,
            PublicKeyCredentialParameters.ES256, PublicKeyCredentialParameters.ES384,
            PublicKeyCredentialParameters.ES512, PublicKeyCredentialParameters.RS256,
            PublicKeyCredentialParameters.RS384, PublicKeyCredentialParameters.RS512,
            PublicKeyCredentialParameters.RS1);

    private static final List<UserVerificationRequirement> USER_VERIFICATION = List.of(
            UserVerificationRequirement.REQUIRED, UserVerificationRequirement.PREFERRED,
            UserVerificationRequirement.DISCOURAGED);

    private PasskeyCeremonyOptions() {
    }

    /** A stored ceremony that does not read as the options it should hold. */
    static final class Invalid extends RuntimeException {

        Invalid(Throwable cause) {
            super("A stored passkey ceremony does not read as its options", cause);
        }

    }

    /** The options of a registration, as stored. */
    record Creation(String rpId, String rpName, String userId, String userName, String userDisplayName,
            String challenge, List<Long> algorithms, Long timeoutMillis, List<Descriptor> excludeCredentials,
            String authenticatorAttachment, String residentKey, String userVerification, String attestation) {
    }

    /** The options of a sign-in, as stored. */
    record Request(String challenge, Long timeoutMillis, String rpId, List<Descriptor> allowCredentials,
            String userVerification) {
    }

    /** A credential the options name (base64url id). */
    record Descriptor(String id, List<String> transports) {
    }

    /** The JSON kept for the options of a registration or a sign-in. */
    static String write(JsonMapper json, Object options) {
        return json.writeValueAsString(switch (options) {
            case PublicKeyCredentialCreationOptions creation -> creation(creation);
            case PublicKeyCredentialRequestOptions request -> request(request);
            default -> throw new IllegalArgumentException("Not passkey options: " + options.getClass());
        });
    }

    /**
     * The options rebuilt from what {@link #write} kept; {@link Invalid} for anything
     * else.
     */
    static <T> T read(JsonMapper json, String stored, Class<T> type) {
        try {
            if (type == PublicKeyCredentialCreationOptions.class) {
                return type.cast(creation(json.readValue(stored, Creation.class)));
            }
            if (type == PublicKeyCredentialRequestOptions.class) {
                return type.cast(request(json.readValue(stored, Request.class)));
            }
            throw new IllegalArgumentException("Not passkey options: " + type);
        }
        catch (JacksonException | IllegalArgumentException | NullPointerException | IllegalStateException ex) {
            throw new Invalid(ex);
        }
    }

    private static Creation creation(PublicKeyCredentialCreationOptions options) {
        AuthenticatorSelectionCriteria selection = options.getAuthenticatorSelection();
        return new Creation(options.getRp().getId(), options.getRp().getName(),
                options.getUser().getId().toBase64UrlString(), options.getUser().getName(),
                options.getUser().getDisplayName(), options.getChallenge().toBase64UrlString(),
                options.getPubKeyCredParams().stream().map(parameters -> parameters.getAlg().getValue()).toList(),
                millis(options.getTimeout()), stored(options.getExcludeCredentials()),
                selection == null || selection.getAuthenticatorAttachment() == null ? null
                        : selection.getAuthenticatorAttachment().getValue(),
                selection == null || selection.getResidentKey() == null ? null : selection.getResidentKey().getValue(),
                selection == null || selection.getUserVerification() == null ? null
                        : selection.getUserVerification().getValue(),
                options.getAttestation() == null ? null : options.getAttestation().getValue());
    }

    private static PublicKeyCredentialCreationOptions creation(Creation stored) {
        AuthenticatorSelectionCriteria.AuthenticatorSelectionCriteriaBuilder selection = AuthenticatorSelectionCriteria
            .builder()
            .userVerification(userVerification(stored.userVerification()));
        Optional.ofNullable(stored.authenticatorAttachment())
            .ifPresent(value -> selection.authenticatorAttachment(AuthenticatorAttachment.valueOf(value)));
        Optional.ofNullable(stored.residentKey())
            .ifPresent(value -> selection.residentKey(ResidentKeyRequirement.valueOf(value)));
        return PublicKeyCredentialCreationOptions.builder()
            .rp(PublicKeyCredentialRpEntity.builder().id(required(stored.rpId())).name(stored.rpName()).build())
            .user(ImmutablePublicKeyCredentialUserEntity.builder()
                .id(Bytes.fromBase64(required(stored.userId())))
                .name(required(stored.userName()))
                .displayName(stored.userDisplayName())
                .build())
            .challenge(Bytes.fromBase64(required(stored.challenge())))
            .pubKeyCredParams(required(stored.algorithms()).stream().map(PasskeyCeremonyOptions::algorithm).toList())
            .timeout(duration(stored.timeoutMillis()))
            .excludeCredentials(rebuilt(stored.excludeCredentials()))
            .authenticatorSelection(selection.build())
            .attestation(
                    stored.attestation() == null ? null : AttestationConveyancePreference.valueOf(stored.attestation()))
            .build();
    }

    private static Request request(PublicKeyCredentialRequestOptions options) {
        return new Request(options.getChallenge().toBase64UrlString(), millis(options.getTimeout()), options.getRpId(),
                stored(options.getAllowCredentials()),
                options.getUserVerification() == null ? null : options.getUserVerification().getValue());
    }

    private static PublicKeyCredentialRequestOptions request(Request stored) {
        return PublicKeyCredentialRequestOptions.builder()
            .challenge(Bytes.fromBase64(required(stored.challenge())))
            .timeout(duration(stored.timeoutMillis()))
            .rpId(required(stored.rpId()))
            .allowCredentials(rebuilt(stored.allowCredentials()))
            .userVerification(userVerification(stored.userVerification()))
            .build();
    }

    private static List<Descriptor> stored(List<PublicKeyCredentialDescriptor> descriptors) {
        return descriptors == null ? List.of() : descriptors.stream()
            .map(descriptor -> new Descriptor(descriptor.getId().toBase64UrlString(), descriptor.getTransports() == null
                    ? List.of()
                    : descriptor.getTransports().stream().map(AuthenticatorTransport::getValue).sorted().toList()))
            .toList();
    }

    private static List<PublicKeyCredentialDescriptor> rebuilt(Collection<Descriptor> stored) {
        return stored == null ? List.of() : stored.stream().map(descriptor -> {
            Set<AuthenticatorTransport> transports = descriptor.transports() == null ? Set.of()
                    : descriptor.transports()
                        .stream()
                        .map(AuthenticatorTransport::valueOf)
                        .collect(Collectors.toUnmodifiableSet());
            return PublicKeyCredentialDescriptor.builder()
                .type(PublicKeyCredentialType.PUBLIC_KEY)
                .id(Bytes.fromBase64(required(descriptor.id())))
                .transports(transports)
                .build();
        }).toList();
    }

    private static PublicKeyCredentialParameters algorithm(Long value) {
        return ALGORITHMS.stream()
            .filter(parameters -> Objects.equals(parameters.getAlg().getValue(), value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("Unknown algorithm " + value));
    }

    private static UserVerificationRequirement userVerification(String value) {
        return value == null ? null
                : USER_VERIFICATION.stream()
                    .filter(requirement -> requirement.getValue().equals(value))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown user verification " + value));
    }

    private static Long millis(Duration timeout) {
        return timeout == null ? null : timeout.toMillis();
    }

    private static Duration duration(Long millis) {
        return millis == null ? null : Duration.ofMillis(millis);
    }

    private static <T> T required(T value) {
        return Objects.requireNonNull(value, "A stored passkey ceremony lacks a field");
    }

}
