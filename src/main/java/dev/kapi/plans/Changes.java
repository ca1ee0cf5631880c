package dev.kapi.plans;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kapi.shared.ApiException;

/**
 * The fields of a partial update as an admin API received them (seed 000's
 * {@code new_model}): only whitelisted keys, each read as the type it must have. A bad
 * key or value is a 400 that names it by its JSON path, e.g.
 * {@code package_contents[1].content_value}.
 */
final class Changes {

    private final Map<String, Object> values;

    private final String path;

    private Changes(Map<String, Object> values, String path) {
        this.values = values;
        this.path = path;
    }

    /**
     * The changes, refused with {@code unknown-field} if any key is not one of
     * {@code allowed}.
     */
    static Changes of(Map<String, ?> values, Set<String> allowed) {
        return of(values, allowed, "");
    }

    @SuppressWarnings("unchecked")
    private static Changes of(Map<String, ?> values, Set<String> allowed, String path) {
        Map<String, Object> map = values == null ? Map.of() : (Map<String, Object>) values;
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiException.invalidField(path + key, "unknown-field");
            }
        }
        return new Changes(map, path);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** A required text, trimmed. */
    String text(String key) {
        String text = optionalText(key);
        if (text == null) {
            throw ApiException.invalidField(path + key, "required");
        }
        return text;
    }

    /** A text, trimmed; null or blank is null. */
    String optionalText(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid(key);
        }
        // Names and values are indexed; a detail is free text but still bounded.
        if (text.trim().length() > ("detail".equals(key) ? 2000 : 100)) {
            throw invalid(key);
        }
        return text.isBlank() ? null : text.trim();
    }

    /**
     * A whole number; JSON gives it as any {@link Number}, a form as a string of digits.
     */
    long whole(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw ApiException.invalidField(path + key, "required");
        }
        try {
            return switch (value) {
                case Integer number -> number;
                case Long number -> number;
                case Short number -> number;
                case Number number when number.doubleValue() == Math.rint(number.doubleValue())
                        && Math.abs(number.doubleValue()) < Long.MAX_VALUE ->
                    number.longValue();
                case String text -> Long.parseLong(text.trim());
                default -> throw invalid(key);
            };
        }
        catch (NumberFormatException ex) {
            throw invalid(key);
        }
    }

    /**
     * An instant in ISO 8601 ({@code 2024-03-15T14:30:00Z}, any offset), or a date
     * meaning its start in UTC.
     */
    Instant instant(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw ApiException.invalidField(path + key, "required");
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (!(value instanceof String text)) {
            throw invalid(key);
        }
        try {
            return text.trim().length() == 10 ? LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text.trim());
        }
        catch (DateTimeParseException ex) {
            throw invalid(key);
        }
    }

    /**
     * A list of objects, each read by {@code reader} with the keys it may have; elements
     * that already are a {@code type} (a caller in Java) are taken as they are.
     */
    <T> List<T> objects(String key, Set<String> allowed, Class<T> type, ElementReader<T> reader) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(key);
        }
        List<T> elements = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = path + key + "[" + i + "].";
            Object element = list.get(i);
            if (type.isInstance(element)) {
                elements.add(type.cast(element));
            }
            else if (element instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, ?> fields = (Map<String, ?>) map;
                elements.add(reader.read(of(fields, allowed, elementPath)));
            }
            else {
                throw ApiException.invalidField(path + key + "[" + i + "]", "invalid-value");
            }
        }
        return elements;
    }

    /** Reads one element of a list from its fields. */
    @FunctionalInterface
    interface ElementReader<T> {

        T read(Changes fields);

    }

    private ApiException invalid(String key) {
        return ApiException.invalidField(path + key, "invalid-value");
    }

}
