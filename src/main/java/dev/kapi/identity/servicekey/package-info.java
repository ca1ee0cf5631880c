/**
 * Keys of machine clients ({@code kapi_sk_}): made and revoked by an admin, and the
 * filter that authenticates them.
 */
package dev.kapi.identity.servicekey;
