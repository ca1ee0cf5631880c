/**
 * Second factors: TOTP, recovery codes, the second step of a sign-in and the admin's view
 * and removal of a user's factors ({@code mfa} in routes and settings).
 */
package dev.kapi.identity.secondfactor;
