/**
 * Seed 001's bulk WhatsApp messaging: sending accounts, customers, groups, black and gray
 * lists, drafts, queues, and the sender that works through them — one durable row per
 * recipient, claimed with {@code FOR UPDATE SKIP LOCKED}, paced per sending account, paid
 * with one credit per message, and never sent twice, also across a crash or several
 * instances.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Messaging")
package dev.kapi.messaging;
