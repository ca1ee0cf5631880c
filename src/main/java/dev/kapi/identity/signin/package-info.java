/**
 * Signing in and proving oneself again: the password sign-in every other way completes
 * through, the one lockout check every way claims a try from
 * ({@link dev.kapi.identity.signin.LoginThrottle}), and reauthentication.
 */
package dev.kapi.identity.signin;
