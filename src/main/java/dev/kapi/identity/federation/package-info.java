/**
 * Signing in with external identity providers (issue 30): the providers an admin
 * configures (any OpenID provider, GitHub), the flow through them, and the identities
 * linked to accounts.
 */
package dev.kapi.identity.federation;
