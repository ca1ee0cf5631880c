package dev.kapi.messaging.pricing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The {@code pricing} block of a WhatsApp status callback: {@code billable},
 * {@code pricing_model} ({@code CBP}, {@code PMP}), {@code category} and {@code type}
 * ({@code regular}, {@code free_customer_service}, {@code free_entry_point}). Meta marks
 * {@code billable} deprecated under per-message pricing, so without it a {@code regular}
 * type is what Meta bills.
 */
public record Pricing(Boolean billable, String pricingModel, String category, String type) {

    private static final int MAX_VALUE = 64;

    /** The block of a status, if it has one. */
    public static Optional<Pricing> of(JsonNode status) {
        JsonNode pricing = status.path("pricing");
        if (!pricing.isObject()) {
            return Optional.empty();
        }
        JsonNode billable = pricing.path("billable");
        return Optional.of(new Pricing(billable.isBoolean() ? billable.asBoolean() : null,
                text(pricing, "pricing_model"), text(pricing, "category"), text(pricing, "type")));
    }

    /** Whether Meta charges this message. */
    public boolean charged() {
        return billable != null ? billable : "regular".equals(type);
    }

    /**
     * The rate card's category Meta billed the message in: {@code marketing_lite} is
     * marketing, {@code authentication_international} authentication (at the
     * authentication price of the recipient's market); null for a category the card does
     * not price or none (the message is then charged as it was held).
     */
    public String billedCategory() {
        if (category == null) {
            return null;
        }
        return switch (category) {
            case "marketing", "marketing_lite" -> "marketing";
            case "utility" -> "utility";
            case "authentication", "authentication_international" -> "authentication";
            case "service" -> "service";
            default -> null;
        };
    }

    /** The block as Kapı keeps and shows it (Meta's field names, its values capped). */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("billable", charged());
        map.put("pricing_model", pricingModel);
        map.put("category", category);
        map.put("type", type);
        return map;
    }

    private static String text(JsonNode node, String field) {
        String value = node.path(field).asString(null);
        return value == null ? null : value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
    }

}
