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

    private static final java.util.regex.Pattern META_TIER = java.util.regex.Pattern
        .compile("TIER_(?:(\\d{1,6})(K?)|(UNLIMITED))");

    /**
     * From Meta's number callback ({@code TIER_250}, {@code TIER_1K}, {@code TIER_2K},
     * {@code TIER_10K}, {@code TIER_100K}, {@code TIER_UNLIMITED}): the highest of Kapı's
     * tiers not above Meta's, or unlimited; nothing for a value Kapı cannot follow
     * ({@code TIER_NOT_SET}, {@code TIER_50}, anything unknown), which leaves the tier as
     * it is.
     */
    static java.util.Optional<MessagingLimit> ofMetaTier(String tier) {
        java.util.regex.Matcher matcher = tier == null ? null : META_TIER.matcher(tier.strip());
        if (matcher == null || !matcher.matches()) {
            return java.util.Optional.empty();
        }
        if (matcher.group(3) != null) {
            return java.util.Optional.of(new MessagingLimit(null));
        }
        long recipients = Long.parseLong(matcher.group(1)) * (matcher.group(2).isEmpty() ? 1 : 1_000);
        return TIERS.stream().filter(t -> t <= recipients).reduce((a, b) -> b).map(MessagingLimit::new);
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
