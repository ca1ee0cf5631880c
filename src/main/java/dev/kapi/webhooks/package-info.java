/**
 * Signed webhooks: admins register receivers for account, session, credit, package,
 * queue, trade and event-registration events; each event is written to a durable outbox
 * in the transaction of the change it tells of, and a worker delivers it, signed with
 * HMAC-SHA256, at least once, retrying with exponential back-off.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks")
package dev.kapi.webhooks;
