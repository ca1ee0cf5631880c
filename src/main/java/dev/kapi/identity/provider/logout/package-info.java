/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a Kapı session ends,
 * every client with a {@code backchannel_logout_uri} that holds a grant of it is sent a
 * signed logout token, through a durable outbox written in the transaction that ended the
 * session.
 */
package dev.kapi.identity.provider.logout;
