package dev.kapi.messaging.draft;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Message drafts (a free text or a WhatsApp template message); every statement is scoped
 * to an owner.
 */
@Repository
public class Drafts {

    private final JdbcClient jdbc;

    Drafts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A draft: {@code body} for a free text, else {@code template}. */
    public record Draft(long id, long ownerId, String name, String body, TemplateMessage template, Instant createdAt,
            Instant updatedAt, RichContent rich) {
    }

    Draft insert(long owner, String name, String body, TemplateMessage template, RichContent rich, Instant now) {
        return template(jdbc.sql("""
                INSERT INTO messaging_drafts (owner_id, name, body, template_name, template_language, header_type,
                                              header_link, body_parameters, template_buttons, rich, created_at,
                                              updated_at)
                VALUES (:owner, :name, :body, :templateName, :templateLanguage, :headerType, :headerLink,
                        :bodyParameters, CAST(:templateButtons AS jsonb), CAST(:rich AS jsonb), :now, :now)
                RETURNING *
                """), template).param("owner", owner)
            .param("rich", RichContent.write(rich))
            .param("name", name)
            .param("body", body)
            .param("now", utc(now))
            .query(Drafts::map)
            .single();
    }

    public Optional<Draft> byId(long owner, long id) {
        return jdbc.sql("SELECT * FROM messaging_drafts WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .query(Drafts::map)
            .optional();
    }

    Draft update(long owner, long id, String name, String body, TemplateMessage template, RichContent rich,
            Instant now) {
        return template(jdbc.sql("""
                UPDATE messaging_drafts SET name = :name, body = :body, template_name = :templateName,
                    template_language = :templateLanguage, header_type = :headerType, header_link = :headerLink,
                    body_parameters = :bodyParameters, template_buttons = CAST(:templateButtons AS jsonb),
                    rich = CAST(:rich AS jsonb), updated_at = :now
                WHERE id = :id AND owner_id = :owner
                RETURNING *
                """), template).param("name", name)
            .param("rich", RichContent.write(rich))
            .param("body", body)
            .param("now", utc(now))
            .param("id", id)
            .param("owner", owner)
            .query(Drafts::map)
            .single();
    }

    /** The template columns of a statement (all null for a free text). */
    public static JdbcClient.StatementSpec template(JdbcClient.StatementSpec statement, TemplateMessage template) {
        return statement.param("templateName", template == null ? null : template.name())
            .param("templateLanguage", template == null ? null : template.language())
            .param("headerType", template == null ? null : template.headerType())
            .param("headerLink", template == null ? null : template.headerLink())
            .param("bodyParameters", template == null ? null : template.bodyParameters().toArray(String[]::new))
            .param("templateButtons", template == null ? null : template.buttonsJson());
    }

    boolean delete(long owner, long id) {
        return jdbc.sql("DELETE FROM messaging_drafts WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .update() == 1;
    }

    List<Draft> page(long owner, Long afterId, int limit) {
        return jdbc
            .sql("SELECT * FROM messaging_drafts WHERE owner_id = :owner AND id > :after ORDER BY id LIMIT :limit")
            .param("owner", owner)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(Drafts::map)
            .list();
    }

    /** Every draft of the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_drafts WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static Draft map(ResultSet rs, int n) throws SQLException {
        return new Draft(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"), rs.getString("body"),
                TemplateMessage.read(rs), instant(rs, "created_at"), instant(rs, "updated_at"),
                RichContent.read(rs.getString("rich")));
    }

}
