package dev.kapi.shared.mail;

/**
 * Sends a plain-text mail, with one file attached or none. Implementations throw when the
 * mail could not be handed over.
 */
public interface Mailer {

    /** Sends the mail with {@code attachment} attached; null attaches nothing. */
    void send(String to, String subject, String text, Attachment attachment);

    default void send(String to, String subject, String text) {
        send(to, subject, text, null);
    }

    /** A file a mail carries: its name, its media type and its bytes. */
    record Attachment(String name, String contentType, byte[] content) {
    }

}
