package dev.kapi.identity.signin;

/**
 * How the owner of a session proved themselves: the Authentication Method Reference
 * values of RFC 8176 that a session keeps as its {@code amr} (and {@code GET /users/me}
 * shows).
 */
public final class Amr {

    /** A password. */
    static final String PASSWORD = "pwd";

    /** A one-time code: a TOTP code or a recovery code. */
    public static final String ONE_TIME_CODE = "otp";

    /**
     * A passkey whose authenticator verified its user (PIN or biometrics): two factors in
     * one.
     */
    public static final String HARDWARE_KEY = "hwk";

    /** A passkey whose authenticator only saw a user present: possession alone. */
    static final String SOFTWARE_KEY = "swk";

    /** A link or code mailed to the account's address. */
    public static final String EMAIL = "email";

    /** An external identity provider's sign-in (issue 30). */
    public static final String FEDERATED = "fed";

    /**
     * A second factor the external provider says it checked ({@code amr} with
     * {@code mfa}), where the admin trusts that provider for it.
     */
    public static final String PROVIDER_MFA = "mfa";

    private Amr() {
    }

    /** The value for a passkey assertion, by its user-verified flag. */
    public static String passkey(boolean userVerified) {
        return userVerified ? HARDWARE_KEY : SOFTWARE_KEY;
    }

}
