/**
 * Proving an address and getting back into an account: verification and reset mails,
 * their one-time tokens, the requests that must not tell whether an address has an
 * account, and the first proof of an unverified address.
 */
package dev.kapi.identity.recovery;
