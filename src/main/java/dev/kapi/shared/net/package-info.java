/**
 * Calls out of Kapı (webhooks, WhatsApp, Telegram): which addresses they may reach, and
 * HTTP clients that connect to the very addresses that were resolved and checked.
 */
@org.springframework.modulith.NamedInterface("net")
package dev.kapi.shared.net;
