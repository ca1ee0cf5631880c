package dev.kapi.identity.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an audit entry records. Each type is stored, filtered and shown by its kebab-case
 * value, so the API (and its OpenAPI enum) lists exactly the types identity writes.
 */
public enum AuditType {

    // Accounts
    ACCOUNT_REGISTERED("account-registered"), EMAIL_CHANGED("email-changed"), EMAIL_VERIFIED("email-verified"),
    PASSWORD_CHANGED("password-changed"), ACCOUNT_FROZEN("account-frozen"), ACCOUNT_UNFROZEN("account-unfrozen"),
    ACCOUNT_DELETED("account-deleted"), UNVERIFIED_ACCOUNT_CLAIMED("unverified-account-claimed"),
    VERIFICATION_REQUESTED("verification-requested"),

    // Sign-in and lockout
    LOGIN_SUCCEEDED("login-succeeded"), LOGIN_FAILED("login-failed"), LOGIN_REFUSED_LOCKED("login-refused-locked"),
    ACCOUNT_LOCKED("account-locked"), LOGIN_SECOND_FACTOR_REQUIRED("login-second-factor-required"),
    LOGIN_SECOND_FACTOR_FAILED("login-second-factor-failed"), PASSWORD_BREACHED_AT_LOGIN("password-breached-at-login"),
    MAGIC_LINK_REQUESTED("magic-link-requested"), MAGIC_CODE_FAILED("magic-code-failed"),

    // Password reset
    PASSWORD_RESET_REQUESTED("password-reset-requested"), PASSWORD_RESET("password-reset"),

    // Sessions
    LOGOUT("logout"), SESSION_REVOKED("session-revoked"), SESSIONS_REVOKED("sessions-revoked"),
    REFRESH_TOKEN_REUSE("refresh-token-reuse"),

    // Recent authentication
    REAUTHENTICATED("reauthenticated"), REAUTHENTICATION_FAILED("reauthentication-failed"),
    REAUTHENTICATION_REFUSED_LOCKED("reauthentication-refused-locked"),

    // Second factors and passkeys
    MFA_TOTP_ENROLMENT_STARTED("mfa-totp-enrolment-started"), MFA_TOTP_ENABLED("mfa-totp-enabled"),
    MFA_TOTP_DISABLED("mfa-totp-disabled"), MFA_RECOVERY_CODES_REGENERATED("mfa-recovery-codes-regenerated"),
    MFA_RECOVERY_CODE_USED("mfa-recovery-code-used"), PASSKEY_REGISTERED("passkey-registered"),
    PASSKEY_REMOVED("passkey-removed"), CREDENTIAL_ALERT_USED("credential-alert-used"),

    // The OpenID provider's clients and the consents users gave them
    OAUTH_CLIENT_CREATED("oauth-client-created"), OAUTH_CLIENT_UPDATED("oauth-client-updated"),
    OAUTH_CLIENT_SECRET_ROTATED("oauth-client-secret-rotated"), OAUTH_CLIENT_DELETED("oauth-client-deleted"),
    OAUTH_CONSENT_GRANTED("oauth-consent-granted"), OAUTH_CONSENT_REVOKED("oauth-consent-revoked"),
    OAUTH_CODE_REPLAYED("oauth-code-replayed"), OAUTH_REFRESH_TOKEN_REUSE("oauth-refresh-token-reuse"),
    OAUTH_BACKCHANNEL_LOGOUT_FAILED("oauth-backchannel-logout-failed"), OAUTH_TOKEN_GRANTED("oauth-token-granted"),

    // External identity providers and the identities linked to accounts
    IDENTITY_PROVIDER_CREATED("identity-provider-created"), IDENTITY_PROVIDER_UPDATED("identity-provider-updated"),
    IDENTITY_PROVIDER_DELETED("identity-provider-deleted"), ACCOUNT_LINKED("account-linked"),
    ACCOUNT_UNLINKED("account-unlinked"), EXTERNAL_SIGN_IN_REFUSED("external-sign-in-refused"),

    // Administration
    ADMIN_ACCOUNT_CREATED("admin-account-created"), USERS_IMPORTED("users-imported"),
    ADMIN_ACCOUNT_UPDATED("admin-account-updated"), ADMIN_ACCOUNT_DELETED("admin-account-deleted"),
    ADMIN_SESSION_REVOKED("admin-session-revoked"), ADMIN_MFA_REMOVED("admin-mfa-removed"),
    SERVICE_KEY_CREATED("service-key-created"), SERVICE_KEY_REVOKED("service-key-revoked");

    private static final Map<String, AuditType> BY_VALUE = Arrays.stream(values())
        .collect(Collectors.toUnmodifiableMap(AuditType::value, Function.identity()));

    private final String value;

    AuditType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The type stored as the value, if there is one. */
    public static Optional<AuditType> of(String value) {
        return Optional.ofNullable(BY_VALUE.get(value));
    }

}
