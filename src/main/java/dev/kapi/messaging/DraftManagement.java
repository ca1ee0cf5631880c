package dev.kapi.messaging;

import java.time.Clock;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's drafts: message texts with variables — {@code {{name}}}, {@code {{phone}}} and the custom
 * fields the user's customers have. A variable that is none of these is refused when the draft is saved.
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

    @Transactional
    Drafts.Draft create(long owner, String name, String body) {
        checkVariables(owner, body);
        return drafts.insert(owner, name.strip(), body, clock.instant());
    }

    @Transactional(readOnly = true)
    Page<Drafts.Draft> list(long owner, String cursor, int limit) {
        return Page.byId(drafts.page(owner, Cursors.afterId(cursor), limit), limit, Drafts.Draft::id);
    }

    @Transactional(readOnly = true)
    Drafts.Draft get(long owner, long id) {
        return drafts.byId(owner, id).orElseThrow(DraftManagement::notFound);
    }

    /** Changes the given fields; queues already made keep the text they were made with. */
    @Transactional
    Drafts.Draft update(long owner, long id, String name, String body) {
        Drafts.Draft current = get(owner, id);
        if (name != null && name.isBlank()) {
            throw ApiException.invalidField("name", "required");
        }
        if (body != null && body.isBlank()) {
            throw ApiException.invalidField("body", "required");
        }
        String newBody = body != null ? body : current.body();
        checkVariables(owner, newBody);
        return drafts.update(owner, id, name != null ? name.strip() : current.name(), newBody, clock.instant());
    }

    @Transactional
    void delete(long owner, long id) {
        if (!drafts.delete(owner, id)) {
            throw notFound();
        }
    }

    private void checkVariables(long owner, String body) {
        Set<String> known = customers.fieldNames(owner);
        for (String variable : Templates.variables(body)) {
            if (!Templates.BUILT_IN.contains(variable) && !known.contains(variable)) {
                throw ApiException.invalidField("body", "unknown-variable", variable);
            }
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("draft-not-found");
    }
}
