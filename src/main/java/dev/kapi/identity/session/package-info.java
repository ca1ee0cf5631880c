/**
 * Server-side sessions: opening, resolving and ending them, refresh tokens, the session
 * list and the live stream that hears a session end.
 */
package dev.kapi.identity.session;
