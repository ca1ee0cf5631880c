/**
 * Accounts: the stored account and its cache, registration, one's profile, password and
 * deletion, the admin's account administration, and the seed routes under {@code /auth}
 * and {@code /users}.
 */
package dev.kapi.identity.account;
