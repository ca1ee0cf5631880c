/**
 * Passwords: hashing, and screening a new one against breaches and guessability.
 */
package dev.kapi.identity.password;
