package dev.kapi.identity.federation;

/**
 * Who the provider says signed in: its stable subject, the address it gives and whether
 * it verified that address, a display name, and whether it says the user passed a second
 * factor ({@code amr} with {@code mfa}).
 */
record ExternalUser(String subject, String email, boolean emailVerified, String name, boolean mfa) {
}
