/**
 * Passkeys (WebAuthn): registering, listing and removing one's own, and signing in with
 * one alone.
 */
package dev.kapi.identity.passkey;
