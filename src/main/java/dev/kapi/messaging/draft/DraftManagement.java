package dev.kapi.messaging.draft;

import java.time.Clock;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.contact.Customers;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's drafts: message texts with variables — {@code {{name}}}, {@code {{phone}}}
 * and the custom fields the user's customers have — or WhatsApp template messages whose
 * body parameters use the same variables. A variable that is none of these is refused
 * when the draft is saved.
 */
@Service
class DraftManagement {

    /** WhatsApp's limit for a text message's body. */
    static final int MAX_BODY = 4_096;

    private final Drafts drafts;

    private final Customers customers;

    private final Clock clock;

    DraftManagement(Drafts drafts, Customers customers, Clock clock) {
        this.drafts = drafts;
        this.customers = customers;
        this.clock = clock;
    }

    /**
     * A new draft: exactly one of {@code body} (a free text), {@code media} or
     * {@code interactive} ({@code rich}) and {@code template}.
     */
    @Transactional
    Drafts.Draft create(long owner, String name, String body, TemplateMessage template, RichContent rich) {
        boolean hasBody = body != null && !body.isBlank();
        int kinds = (hasBody ? 1 : 0) + (template != null ? 1 : 0) + (rich != null ? 1 : 0);
        if (kinds != 1 || (rich != null && rich.media() != null && rich.interactive() != null)) {
            throw ApiException.invalidField(template != null ? "template" : rich != null ? "media" : "body",
                    "draft-body-or-template");
        }
        if (rich != null) {
            rich.check();
        }
        check(owner, body, template, rich);
        return drafts.insert(owner, name.strip(), hasBody ? body : null, template, rich, clock.instant());
    }

    @Transactional(readOnly = true)
    Page<Drafts.Draft> list(long owner, String cursor, int limit) {
        return Page.byId(drafts.page(owner, Cursors.afterId(cursor), limit), limit, Drafts.Draft::id);
    }

    @Transactional(readOnly = true)
    Drafts.Draft get(long owner, long id) {
        return drafts.byId(owner, id).orElseThrow(DraftManagement::notFound);
    }

    /**
     * Changes the given fields; a new {@code body} makes the draft a free text, a new
     * {@code template} a template message (not both). Queues already made keep what they
     * were made with.
     */
    @Transactional
    Drafts.Draft update(long owner, long id, String name, String body, TemplateMessage template, RichContent rich) {
        Drafts.Draft current = get(owner, id);
        if (name != null && name.isBlank()) {
            throw ApiException.invalidField("name", "required");
        }
        if (body != null && body.isBlank()) {
            throw ApiException.invalidField("body", "required");
        }
        int kinds = (body != null ? 1 : 0) + (template != null ? 1 : 0) + (rich != null ? 1 : 0);
        if (kinds > 1 || (rich != null && rich.media() != null && rich.interactive() != null)) {
            throw ApiException.invalidField(template != null ? "template" : "media", "draft-body-or-template");
        }
        if (rich != null) {
            rich.check();
        }
        boolean unchanged = kinds == 0;
        String newBody = unchanged ? current.body() : body;
        TemplateMessage newTemplate = unchanged ? current.template() : template;
        RichContent newRich = unchanged ? current.rich() : rich;
        check(owner, newBody, newTemplate, newRich);
        return drafts.update(owner, id, name != null ? name.strip() : current.name(), newBody, newTemplate, newRich,
                clock.instant());
    }

    @Transactional
    void delete(long owner, long id) {
        if (!drafts.delete(owner, id)) {
            throw notFound();
        }
    }

    private void check(long owner, String body, TemplateMessage template, RichContent rich) {
        Set<String> known = customers.fieldNames(owner);
        if (rich != null) {
            rich.texts().forEach((field, text) -> checkVariables(field, text, known));
            return;
        }
        if (template == null) {
            checkVariables("body", body, known);
            return;
        }
        if ((template.headerType() == null) != (template.headerLink() == null)) {
            throw ApiException.invalidField("template.header", "template-header-incomplete");
        }
        for (int i = 0; i < template.bodyParameters().size(); i++) {
            String parameter = template.bodyParameters().get(i);
            if (parameter.isBlank()) {
                throw ApiException.invalidField("template.body_parameters[" + i + "]", "required");
            }
            checkVariables("template.body_parameters[" + i + "]", parameter, known);
        }
    }

    private static void checkVariables(String field, String text, Set<String> known) {
        for (String variable : Templates.variables(text)) {
            if (!Templates.BUILT_IN.contains(variable) && !known.contains(variable)) {
                throw ApiException.invalidField(field, "unknown-variable", variable);
            }
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("draft-not-found");
    }

}
