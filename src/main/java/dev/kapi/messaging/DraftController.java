package dev.kapi.messaging;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's drafts: message texts with variables — {@code {{name}}}, {@code {{phone}}} and the custom
 * fields the user's customers have. A variable that is none of these is refused when the draft is saved.
 */
@RestController
@RequestMapping("/api/messaging/drafts")
@Tag(name = "messaging")
class DraftController {

    /** WhatsApp's limit for a text message's body. */
    static final int MAX_BODY = 4_096;

    private final Drafts drafts;
    private final Customers customers;
    private final Clock clock;

    DraftController(Drafts drafts, Customers customers, Clock clock) {
        this.drafts = drafts;
        this.customers = customers;
        this.clock = clock;
    }

    record CreateDraftRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = MAX_BODY) String body) {
    }

    record UpdateDraftRequest(@Size(max = 200) String name, @Size(max = MAX_BODY) String body) {
    }

    record DraftResponse(long id, String name, String body, List<String> variables,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        static DraftResponse from(Drafts.Draft draft) {
            return new DraftResponse(draft.id(), draft.name(), draft.body(),
                    List.copyOf(Templates.variables(draft.body())), draft.createdAt(), draft.updatedAt());
        }
    }

    @PostMapping
    @Operation(summary = "Save a draft; unknown variables are a 400")
    ResponseEntity<DraftResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateDraftRequest request) {
        checkVariables(me.id(), request.body());
        Drafts.Draft draft = drafts.insert(me.id(), request.name().strip(), request.body(), clock.instant());
        return ResponseEntity.created(URI.create("/api/messaging/drafts/" + draft.id())).body(DraftResponse.from(draft));
    }

    @GetMapping
    @Operation(summary = "Drafts in id order; next page in X-Next-Cursor")
    ResponseEntity<List<DraftResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return Page.byId(drafts.page(me.id(), Cursors.afterId(cursor), limit), limit, Drafts.Draft::id)
                .asArray(DraftResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One draft")
    DraftResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return DraftResponse.from(find(me.id(), id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change the given fields of a draft; queues already made keep the text they were made with")
    DraftResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody UpdateDraftRequest request) {
        Drafts.Draft current = find(me.id(), id);
        if (request.name() != null && request.name().isBlank()) {
            throw ApiException.invalidField("name", "required");
        }
        if (request.body() != null && request.body().isBlank()) {
            throw ApiException.invalidField("body", "required");
        }
        String body = request.body() != null ? request.body() : current.body();
        checkVariables(me.id(), body);
        return DraftResponse.from(drafts.update(me.id(), id,
                request.name() != null ? request.name().strip() : current.name(), body, clock.instant()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a draft")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        if (!drafts.delete(me.id(), id)) {
            throw notFound();
        }
    }

    private Drafts.Draft find(long owner, long id) {
        return drafts.byId(owner, id).orElseThrow(DraftController::notFound);
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
