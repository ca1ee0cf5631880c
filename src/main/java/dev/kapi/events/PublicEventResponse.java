package dev.kapi.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A public event as anyone may read it: the event object without its author (no account
 * id, no name) and without what only admins see.
 */
record PublicEventResponse(long id, String title, String slug, String description, String content,
        @JsonProperty("image_url") String imageUrl, String location, @JsonProperty("start_time") Instant startTime,
        @JsonProperty("end_time") Instant endTime, EventResponse.CategoryRef category,
        @JsonProperty("is_active") boolean isActive, @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt, @JsonUnwrapped AttendanceResponse attendance) {

    static PublicEventResponse from(EventManagement.EventView view) {
        Event event = view.event();
        return new PublicEventResponse(event.id(), event.title(), event.slug(), event.description(), event.content(),
                event.imageUrl(), event.location(), event.startTime(), event.endTime(),
                event.categoryId() == null ? null
                        : new EventResponse.CategoryRef(event.categoryId(), event.categoryName()),
                true, event.createdAt(), event.updatedAt(), AttendanceResponse.of(event));
    }

}
