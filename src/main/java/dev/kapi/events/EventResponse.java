package dev.kapi.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * Seed 003's event object, field for field. {@code is_active} is false only for a
 * soft-deleted event, which only admins see; they also get {@code deleted_at} and
 * {@code deleted_by}. Issue 33's fields follow only for an event that uses them
 * ({@link AttendanceResponse}), so that one made with seed 003's fields alone answers
 * seed 003's object exactly.
 */
record EventResponse(long id, String title, String slug, String description, String content,
        @JsonProperty("image_url") String imageUrl, String location, @JsonProperty("start_time") Instant startTime,
        @JsonProperty("end_time") Instant endTime, CategoryRef category, @JsonProperty("created_by") Author createdBy,
        @JsonProperty("is_active") boolean isActive, @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("deleted_at") @JsonInclude(JsonInclude.Include.NON_NULL) Instant deletedAt,
        @JsonProperty("deleted_by") @JsonInclude(JsonInclude.Include.NON_NULL) Long deletedBy,
        @JsonUnwrapped AttendanceResponse attendance) {

    record CategoryRef(int id, String name) {
    }

    record Author(long id, @JsonProperty("full_name") String fullName) {
    }

    static EventResponse from(EventManagement.EventView view) {
        Event event = view.event();
        return new EventResponse(event.id(), event.title(), event.slug(), event.description(), event.content(),
                event.imageUrl(), event.location(), event.startTime(), event.endTime(),
                event.categoryId() == null ? null : new CategoryRef(event.categoryId(), event.categoryName()),
                event.createdBy() == null ? null : new Author(event.createdBy(), view.authorName()), !event.deleted(),
                event.createdAt(), event.updatedAt(), event.deletedAt(), event.deletedBy(),
                AttendanceResponse.of(event));
    }
}
