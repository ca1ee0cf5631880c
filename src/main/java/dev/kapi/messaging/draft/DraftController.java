package dev.kapi.messaging.draft;

import java.net.URI;
import java.time.Instant;
import java.util.List;

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
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's draft routes: the signed-in user's message texts (or media, interactive or
 * template messages) and the variables they use.
 */
@RestController
@RequestMapping("/api/messaging/drafts")
@Tag(name = "messaging")
class DraftController {

    private final DraftManagement drafts;

    DraftController(DraftManagement drafts) {
        this.drafts = drafts;
    }

    /**
     * A free text ({@code body}) or a template message ({@code template}): exactly one of
     * them.
     */
    record CreateDraftRequest(@NotBlank @Size(max = 200) String name, @Size(max = DraftManagement.MAX_BODY) String body,
            @Valid Template template, @Valid RichContent.Media media, @Valid RichContent.Interactive interactive) {
    }

    record UpdateDraftRequest(@Size(max = 200) String name, @Size(max = DraftManagement.MAX_BODY) String body,
            @Valid Template template, @Valid RichContent.Media media, @Valid RichContent.Interactive interactive) {
    }

    private static RichContent rich(RichContent.Media media, RichContent.Interactive interactive) {
        return media == null && interactive == null ? null : new RichContent(media, interactive);
    }

    record DraftResponse(long id, String name, String body, Template template, List<String> variables,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            RichContent.Media media, RichContent.Interactive interactive) {

        static DraftResponse from(Drafts.Draft draft) {
            java.util.Set<String> variables = new java.util.LinkedHashSet<>();
            if (draft.body() != null) {
                variables.addAll(Templates.variables(draft.body()));
            }
            if (draft.template() != null) {
                draft.template()
                    .bodyParameters()
                    .forEach(parameter -> variables.addAll(Templates.variables(parameter)));
            }
            if (draft.rich() != null) {
                draft.rich().texts().values().forEach(text -> variables.addAll(Templates.variables(text)));
            }
            return new DraftResponse(draft.id(), draft.name(), draft.body(), Template.from(draft.template()),
                    List.copyOf(variables), draft.createdAt(), draft.updatedAt(),
                    draft.rich() == null ? null : draft.rich().media(),
                    draft.rich() == null ? null : draft.rich().interactive());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Save a draft; unknown variables are a 400")
    ResponseEntity<DraftResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateDraftRequest request) {
        Drafts.Draft draft = drafts.create(me.id(), request.name(), request.body(),
                request.template() == null ? null : request.template().message(),
                rich(request.media(), request.interactive()));
        return ResponseEntity.created(URI.create("/api/messaging/drafts/" + draft.id()))
            .body(DraftResponse.from(draft));
    }

    @GetMapping
    @Operation(summary = "Drafts in id order; next page in X-Next-Cursor")
    ResponseEntity<List<DraftResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return drafts.list(me.id(), cursor, limit).asArray(DraftResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One draft")
    DraftResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return DraftResponse.from(drafts.get(me.id(), id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change the given fields of a draft; queues already made keep the text they were made with")
    DraftResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody UpdateDraftRequest request) {
        return DraftResponse.from(drafts.update(me.id(), id, request.name(), request.body(),
                request.template() == null ? null : request.template().message(),
                rich(request.media(), request.interactive())));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a draft")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        drafts.delete(me.id(), id);
    }

}
