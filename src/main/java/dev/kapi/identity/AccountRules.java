package dev.kapi.identity;

/** The shape of account fields, for the request records of every API dialect. */
public final class AccountRules {

    /** An address with a dot in its domain; {@code @Email} alone accepts {@code a@b}. */
    public static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    /**
     * 3–50 letters, digits, dots, underscores or dashes; never an {@code @}, so it cannot
     * pass for an email.
     */
    public static final String USERNAME = "^[A-Za-z0-9._-]{3,50}$";

    private AccountRules() {
    }

}
