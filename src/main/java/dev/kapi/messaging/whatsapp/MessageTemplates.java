package dev.kapi.messaging.whatsapp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** Templates synced from Meta, per owner and WhatsApp Business Account. */
@Repository
public class MessageTemplates {

    static final String PAUSED = "PAUSED";

    private final JdbcClient jdbc;

    MessageTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One template as read from Meta. */
    record Synced(String metaId, String name, String language, String category, String status, String components,
            int bodyParameters, String headerFormat) {
    }

    /**
     * The business account's templates become exactly {@code synced}: new ones added,
     * known ones updated, the rest removed.
     */
    void replace(long owner, String wabaId, List<Synced> synced, Instant now) {
        jdbc.sql(
                """
                        DELETE FROM messaging_templates t
                        WHERE owner_id = :owner AND waba_id = :waba
                          AND NOT EXISTS (SELECT 1 FROM unnest(CAST(:names AS text[]), CAST(:languages AS text[])) AS s (name, language)
                                          WHERE s.name = t.name AND s.language = t.language)
                        """)
            .param("owner", owner)
            .param("waba", wabaId)
            .param("names", synced.stream().map(Synced::name).toArray(String[]::new))
            .param("languages", synced.stream().map(Synced::language).toArray(String[]::new))
            .update();
        for (Synced template : synced) {
            jdbc.sql("""
                    INSERT INTO messaging_templates (owner_id, waba_id, meta_id, name, language, category, status,
                                                     components, body_parameters, header_format, synced_at)
                    VALUES (:owner, :waba, :metaId, :name, :language, :category, :status, CAST(:components AS jsonb),
                            :parameters, :header, :now)
                    ON CONFLICT (owner_id, waba_id, name, language) DO UPDATE
                        SET meta_id = EXCLUDED.meta_id, category = EXCLUDED.category, status = EXCLUDED.status,
                            components = EXCLUDED.components, body_parameters = EXCLUDED.body_parameters,
                            header_format = EXCLUDED.header_format, synced_at = EXCLUDED.synced_at
                    """)
                .param("owner", owner)
                .param("waba", wabaId)
                .param("metaId", template.metaId())
                .param("name", template.name())
                .param("language", template.language())
                .param("category", template.category())
                .param("status", template.status())
                .param("components", template.components())
                .param("parameters", template.bodyParameters())
                .param("header", template.headerFormat())
                .param("now", utc(now))
                .update();
        }
    }

    /** A template a status callback named, as it stands after the callback. */
    record Named(String name, String language) {
    }

    /**
     * Meta's new status of a business account's template (by Meta's id, or name and
     * language), for every owner with a sender of that account, unless a later status is
     * recorded already: a pause counts one more pause and estimates its end, any other
     * status ends the estimate. Returns the templates it changed.
     */
    List<Named> recordStatus(String wabaId, String metaId, String name, String language, String status, Instant at) {
        boolean paused = PAUSED.equals(status);
        return jdbc.sql("""
                UPDATE messaging_templates t
                SET status = :status, status_at = :at,
                    pause_count = CASE WHEN :paused THEN pause_count + 1 ELSE pause_count END,
                    paused_until = CASE WHEN :paused
                        THEN CAST(:at AS timestamptz) + CASE WHEN pause_count = 0 THEN CAST(:first AS interval)
                                                             ELSE CAST(:later AS interval) END END
                WHERE t.waba_id = :waba
                  AND (t.meta_id = :metaId OR (t.name = :name AND t.language = :language))
                  AND (t.status_at IS NULL OR t.status_at <= :at)
                  AND EXISTS (SELECT 1 FROM messaging_senders s WHERE s.owner_id = t.owner_id AND s.waba_id = t.waba_id)
                RETURNING t.name, t.language
                """)
            .param("status", status)
            .param("at", utc(at))
            .param("paused", paused)
            .param("first", MessageTemplate.FIRST_PAUSE.toSeconds() + " seconds")
            .param("later", MessageTemplate.LATER_PAUSE.toSeconds() + " seconds")
            .param("waba", wabaId)
            .param("metaId", metaId)
            .param("name", name)
            .param("language", language)
            .query((rs, n) -> new Named(rs.getString("name"), rs.getString("language")))
            .list()
            .stream()
            .distinct()
            .toList();
    }

    /**
     * Meta's new quality score of a business account's template, for every owner, unless
     * a later score is recorded already; returns how many rows changed.
     */
    int recordQuality(String wabaId, String metaId, String name, String language, String quality, Instant at) {
        return jdbc.sql("""
                UPDATE messaging_templates t SET quality = :quality, quality_at = :at
                WHERE t.waba_id = :waba
                  AND (t.meta_id = :metaId OR (t.name = :name AND t.language = :language))
                  AND (t.quality_at IS NULL OR t.quality_at <= :at)
                """)
            .param("quality", quality)
            .param("at", utc(at))
            .param("waba", wabaId)
            .param("metaId", metaId)
            .param("name", name)
            .param("language", language)
            .update();
    }

    public Optional<MessageTemplate> find(long owner, String wabaId, String name, String language) {
        return jdbc.sql("""
                SELECT * FROM messaging_templates
                WHERE owner_id = :owner AND waba_id = :waba AND name = :name AND language = :language
                """)
            .param("owner", owner)
            .param("waba", wabaId)
            .param("name", name)
            .param("language", language)
            .query(MessageTemplates::map)
            .optional();
    }

    List<MessageTemplate> page(long owner, String wabaId, Long afterId, int limit) {
        return jdbc.sql("""
                SELECT * FROM messaging_templates WHERE owner_id = :owner AND waba_id = :waba AND id > :after
                ORDER BY id LIMIT :limit
                """)
            .param("owner", owner)
            .param("waba", wabaId)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(MessageTemplates::map)
            .list();
    }

    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_templates WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static MessageTemplate map(ResultSet rs, int n) throws SQLException {
        return new MessageTemplate(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("waba_id"),
                rs.getString("meta_id"), rs.getString("name"), rs.getString("language"), rs.getString("category"),
                rs.getString("status"), rs.getString("components"), rs.getInt("body_parameters"),
                rs.getString("header_format"), instant(rs, "synced_at"), rs.getString("quality"),
                instant(rs, "paused_until"));
    }

}
