/**
 * The OpenID provider's clients: Spring Authorization Server's registered-client table
 * behind a cache every instance evicts, their secrets (kept as SHA-256), the rules a
 * registration must pass and the admin API that makes them.
 */
package dev.kapi.identity.provider.client;
