package dev.kapi.messaging.contact;

import java.time.Instant;
import java.util.Map;

/**
 * A contact of one user: a phone number in E.164, unique per user, a name and custom
 * fields.
 */
public record Customer(long id, long ownerId, String phone, String name, Map<String, String> fields, Instant createdAt,
        Instant updatedAt) {
}
