/**
 * Signing in without a password: a mailed single-use link or six-digit code.
 */
package dev.kapi.identity.magiclink;
