/**
 * Accounts, user types, passwords, login with lockout, server-side sessions and the
 * access tokens bound to them. This package is the module's API: other modules see the
 * signed-in user as {@link dev.kapi.identity.CurrentAccount}, guard changes with
 * {@link dev.kapi.identity.RecentAuthentication}, look accounts up through
 * {@link dev.kapi.identity.AccountDirectory} and
 * {@link dev.kapi.identity.AccountAdministration} and react to events such as
 * {@link dev.kapi.identity.AccountDeleted}; it also holds the security configuration and
 * identity's settings. Each feature has its own sub-package ({@code account},
 * {@code recovery}, {@code password}, {@code signin}, {@code session}, {@code token},
 * {@code provider}, {@code servicekey}, {@code secondfactor}, {@code passkey},
 * {@code magiclink}, {@code audit}, {@code alert}), internal to the module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package dev.kapi.identity;
