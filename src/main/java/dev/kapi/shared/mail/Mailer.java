package dev.kapi.shared.mail;

/**
 * Sends a plain-text mail. Implementations throw when the mail could not be handed over.
 */
public interface Mailer {

    void send(String to, String subject, String text);

}
