package dev.kapi.admin;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import dev.kapi.shared.Confirmation;
import dev.kapi.shared.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The request inbox (seed 001 "istek kutuları"): users write to the admins and read the
 * answers.
 */
@RestController
@Tag(name = "support")
class SupportController {

    private final SupportManagement support;

    private final Messages messages;

    SupportController(SupportManagement support, Messages messages) {
        this.support = support;
        this.messages = messages;
    }

    record NewRequest(@NotBlank @Size(max = 200) String subject, @NotBlank @Size(max = 10_000) String body) {
    }

    record NewAnswer(@NotBlank @Size(max = 10_000) String body) {
    }

    record AnswerView(long id, String body, Instant createdAt) {

        static AnswerView from(SupportRequests.Answer answer) {
            return new AnswerView(answer.id(), answer.body(), answer.createdAt());
        }
    }

    /**
     * A request as its author and the admins see it; {@code userId} is the author's
     * public id.
     */
    record RequestView(long id, String userId, String subject, String body,
            @Schema(pattern = "open|answered|closed") String status, Instant createdAt, Instant updatedAt,
            Instant closedAt, List<AnswerView> answers) {

        static RequestView from(SupportManagement.Thread thread) {
            SupportRequests.Request request = thread.request();
            return new RequestView(request.id(), request.userPublicId(), request.subject(), request.body(),
                    request.status(), request.createdAt(), request.updatedAt(), request.closedAt(),
                    thread.answers().stream().map(AnswerView::from).toList());
        }
    }

    record OneRequest(boolean success, RequestView data) {

        static OneRequest of(SupportManagement.Thread thread) {
            return new OneRequest(true, RequestView.from(thread));
        }
    }

    record RequestList(boolean success, int count, List<RequestView> data, String nextCursor) {

        static RequestList of(Page<SupportManagement.Thread> page) {
            List<RequestView> views = page.rows().stream().map(RequestView::from).toList();
            return new RequestList(true, views.size(), views, page.nextCursor());
        }
    }

    @PostMapping("/api/support/requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Send a request to the admins")
    OneRequest send(@AuthenticationPrincipal CurrentAccount user, @Valid @RequestBody NewRequest request) {
        return OneRequest.of(support.send(user, request.subject(), request.body()));
    }

    @GetMapping("/api/support/requests")
    @Operation(summary = "The signed-in user's own requests with their answers, newest first")
    RequestList mine(@AuthenticationPrincipal CurrentAccount user,
            @RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        return RequestList.of(support.mine(user, limit, cursor));
    }

    @GetMapping("/api/support/requests/{id}")
    @Operation(summary = "One of the signed-in user's own requests")
    OneRequest mine(@AuthenticationPrincipal CurrentAccount user, @PathVariable long id) {
        SupportManagement.Thread thread = support.get(id);
        if (thread.request().accountId() != user.id()) {
            throw SupportManagement.notFound();
        }
        return OneRequest.of(thread);
    }

    @GetMapping("/api/admin/support/requests")
    @PreAuthorize("hasRole('ADMIN')")
    @Tag(name = "admin")
    @Operation(summary = "Every user's requests, newest first; filter by status (open, answered, closed)")
    RequestList all(
            @RequestParam(required = false) @Size(max = 16) @Parameter(
                    schema = @Schema(allowableValues = { "open", "answered", "closed" })) String status,
            @RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        return RequestList.of(support.all(status, limit, cursor));
    }

    @GetMapping("/api/admin/support/requests/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Tag(name = "admin")
    @Operation(summary = "One request with its answers")
    OneRequest one(@PathVariable long id) {
        return OneRequest.of(support.get(id));
    }

    @PostMapping("/api/admin/support/requests/{id}/answers")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "admin")
    @Operation(summary = "Answer a request; its author is mailed")
    OneRequest answer(@AuthenticationPrincipal CurrentAccount admin, @PathVariable long id,
            @Valid @RequestBody NewAnswer answer) {
        return OneRequest.of(support.answer(admin, id, answer.body()));
    }

    @PostMapping("/api/admin/support/requests/{id}/close")
    @PreAuthorize("hasRole('ADMIN')")
    @Tag(name = "admin")
    @Operation(summary = "Close a request; it takes no more answers")
    Confirmation close(@PathVariable long id) {
        support.close(id);
        return Confirmation.of(messages.get("done.support-request-closed"));
    }

}
