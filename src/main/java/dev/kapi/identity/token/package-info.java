/**
 * Access tokens (JWTs) and the keys that sign them, and the opaque bearer secrets kept
 * only as hashes.
 */
package dev.kapi.identity.token;
