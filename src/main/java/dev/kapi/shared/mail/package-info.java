/**
 * Sending mail: over SMTP when {@code spring.mail.host} is set, into a local outbox
 * folder otherwise.
 */
@org.springframework.modulith.NamedInterface("mail")
package dev.kapi.shared.mail;
