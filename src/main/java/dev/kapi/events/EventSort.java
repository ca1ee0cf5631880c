package dev.kapi.events;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.kapi.shared.ApiException;

/** The orders of {@code sort_by}, each backed by an index on its column and the id. */
enum EventSort {

    START_TIME("start_time", "start_time"), END_TIME("end_time", "end_time"), CREATED_AT("created_at", "created_at"),
    /** Case and accents ignored, so "çalıştay" sorts with "Calistay". */
    TITLE("title", "title_key");

    private final String parameter;

    private final String column;

    EventSort(String parameter, String column) {
        this.parameter = parameter;
        this.column = column;
    }

    @JsonValue
    String parameter() {
        return parameter;
    }

    String column() {
        return column;
    }

    boolean isTime() {
        return this != TITLE;
    }

    static EventSort fromParameter(String value) {
        if (value == null || value.isBlank()) {
            return START_TIME;
        }
        return Arrays.stream(values())
            .filter(sort -> sort.parameter.equals(value.strip()))
            .findFirst()
            .orElseThrow(() -> ApiException.invalidField("sort_by", "invalid-sort", allowed()));
    }

    static String allowed() {
        return Arrays.stream(values()).map(EventSort::parameter).collect(Collectors.joining(", "));
    }

}
