/**
 * Seed 001's bulk WhatsApp messaging: sending accounts, customers, groups, black and gray
 * lists, drafts, queues, and the sender that works through them — one durable row per
 * recipient, claimed with {@code FOR UPDATE SKIP LOCKED}, paced per sending account, paid
 * with one credit per message, and never sent twice, also across a crash or several
 * instances.
 * <p>
 * This package is the module's API ({@code QueueFinished}, {@code MessagingStatistics})
 * and the listener for deleted accounts; each feature has its folder: {@code contact}
 * (customers, groups, black and gray lists, CSV import, phone numbers), {@code sender}
 * (sending accounts), {@code draft} (texts, template messages, variables), {@code queue}
 * (queues, their messages and statuses, preflight, credits), {@code sending} (the
 * background sender, pacing, retries, the providers), {@code whatsapp} (the Cloud API
 * client, business accounts and tiers, templates, service windows, Meta's inbound
 * callbacks) and {@code automation} (the owner's sending settings).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Messaging")
package dev.kapi.messaging;
