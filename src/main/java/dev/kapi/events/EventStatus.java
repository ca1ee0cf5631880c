package dev.kapi.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.kapi.shared.ApiException;

/**
 * The {@code status} filter. An event that is running now is upcoming: it has not ended
 * yet.
 */
enum EventStatus {

    ALL, UPCOMING, PAST;

    @JsonValue
    String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    static EventStatus fromParameter(String value) {
        if (value == null || value.isBlank()) {
            return ALL;
        }
        return Arrays.stream(values())
            .filter(status -> status.parameter().equals(value.strip()))
            .findFirst()
            .orElseThrow(() -> ApiException.invalidField("status", "invalid-status",
                    Arrays.stream(values()).map(EventStatus::parameter).collect(Collectors.joining(", "))));
    }

}
