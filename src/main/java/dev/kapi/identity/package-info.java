/**
 * Accounts, user types, passwords, login with lockout, server-side sessions and the
 * access tokens bound to them. Other modules see the signed-in user as
 * {@link dev.kapi.identity.CurrentAccount} and react to
 * {@link dev.kapi.identity.AccountDeleted}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package dev.kapi.identity;
