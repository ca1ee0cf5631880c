package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Meta's customer service window: a business may send free-form messages to a customer
 * only within 24 hours of the customer's last message to it. Kapı records, per owner and
 * number, when the number last wrote to one of the owner's WhatsApp Cloud accounts (the
 * WhatsApp callbacks' inbound messages).
 */
@Repository
public class ServiceWindows {

    public static final Duration LENGTH = Duration.ofHours(24);

    private final JdbcClient jdbc;

    ServiceWindows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The number wrote in at {@code at}; an earlier time never replaces a later one. */
    public void inbound(long owner, String phone, Instant at) {
        jdbc.sql("""
                INSERT INTO messaging_service_windows (owner_id, phone, last_inbound_at) VALUES (:owner, :phone, :at)
                ON CONFLICT (owner_id, phone) DO UPDATE
                    SET last_inbound_at = greatest(messaging_service_windows.last_inbound_at, EXCLUDED.last_inbound_at)
                """).param("owner", owner).param("phone", phone).param("at", utc(at)).update();
    }

    /** Those of the numbers whose window is open at {@code now}. */
    public Set<String> open(long owner, Collection<String> phones, Instant now) {
        if (phones.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                SELECT phone FROM messaging_service_windows
                WHERE owner_id = :owner AND phone = ANY(:phones) AND last_inbound_at > :since
                """)
            .param("owner", owner)
            .param("phones", phones.toArray(String[]::new))
            .param("since", utc(now.minus(LENGTH)))
            .query(String.class)
            .list());
    }

    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_service_windows WHERE owner_id = :owner").param("owner", owner).update();
    }

}
