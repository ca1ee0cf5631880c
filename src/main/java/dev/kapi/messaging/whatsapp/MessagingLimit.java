package dev.kapi.messaging.whatsapp;

import java.util.List;

import dev.kapi.shared.ApiException;

/**
 * Meta's messaging tier of a WhatsApp Business Account: how many unique recipients its
 * business-initiated (template) messages may reach in a rolling 24 hours — 250 (the
 * default), 2,000, 10,000, 100,000 or unlimited ({@code recipients} null).
 */
public record MessagingLimit(Integer recipients) {

    static final List<Integer> TIERS = List.of(250, 2_000, 10_000, 100_000);
    static final String UNLIMITED = "unlimited";
    static final MessagingLimit DEFAULT = new MessagingLimit(250);

    public boolean unlimited() {
        return recipients == null;
    }

    /** As the API shows it: the number, or {@code "unlimited"}. */
    public Object wire() {
        return recipients == null ? UNLIMITED : recipients;
    }

    /**
     * From the API: one of the tiers' numbers or {@code "unlimited"}; 400
     * {@code messaging-limit-invalid} otherwise.
     */
    public static MessagingLimit parse(Object value) {
        if (UNLIMITED.equals(value)) {
            return new MessagingLimit(null);
        }
        if ((value instanceof Integer || value instanceof Long) && TIERS.contains(((Number) value).intValue())
                && ((Number) value).longValue() == ((Number) value).intValue()) {
            return new MessagingLimit(((Number) value).intValue());
        }
        throw ApiException.invalidField("messaging_limit", "messaging-limit-invalid");
    }
}
