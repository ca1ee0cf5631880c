/**
 * Kapı as the identity provider of other services: the front door, OpenID discovery with
 * the JWKS, and token introspection.
 */
package dev.kapi.identity.provider;
