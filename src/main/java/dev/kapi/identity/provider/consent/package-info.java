/**
 * The consents users give the OpenID provider's clients: Spring Authorization Server's
 * consent store with when each was given, and the user's own list and revocation.
 */
package dev.kapi.identity.provider.consent;
