package dev.kapi.events;

import java.time.Instant;

/**
 * An event as stored, with its category's name. {@code titleKey} is the folded title that
 * {@code sort_by=title} orders by; {@code createdBy} and {@code deletedBy} are account
 * ids; {@code attendance} holds issue 33's fields and counts; {@code sequence} is the
 * iCalendar SEQUENCE, bumped by every change; {@code seriesId} names the recurring series
 * of an occurrence, {@code seriesEdited} that it was changed on its own.
 */
record Event(long id, String title, String slug, String description, String content, String imageUrl, String location,
        Instant startTime, Instant endTime, Integer categoryId, String categoryName, Long createdBy, Instant createdAt,
        Instant updatedAt, Instant deletedAt, Long deletedBy, String titleKey, Attendance attendance, int sequence,
        Long seriesId, boolean seriesEdited) {

    /** Visible to anyone, without a token. */
    boolean isPublic() {
        return Attendance.PUBLIC.equals(attendance.visibility());
    }

    boolean deleted() {
        return deletedAt != null;
    }

    /** This event's value of the column a list is sorted by, as a cursor keeps it. */
    String sortValue(EventSort sort) {
        return switch (sort) {
            case START_TIME -> startTime.toString();
            case END_TIME -> endTime.toString();
            case CREATED_AT -> createdAt.toString();
            case TITLE -> titleKey;
        };
    }
}
