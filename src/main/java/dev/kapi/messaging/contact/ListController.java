package dev.kapi.messaging.contact;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's blacklist and graylist routes: {@code /blacklist} and {@code /graylist} of
 * the signed-in user.
 */
@RestController
@Tag(name = "messaging")
class ListController {

    private final ListManagement lists;

    ListController(ListManagement lists) {
        this.lists = lists;
    }

    record ListRequest(@Size(max = 40) String phone, @JsonProperty("customer_id") Long customerId,
            @Size(max = 500) String reason) {
    }

    record EntryResponse(long id, String phone, @JsonProperty("customer_id") Long customerId, String reason,
            @Schema(pattern = "user|opt_out") String source, @JsonProperty("created_at") Instant createdAt) {

        static EntryResponse from(ListEntries.Entry entry) {
            return new EntryResponse(entry.id(), entry.phone(), entry.customerId(), entry.reason(), entry.source(),
                    entry.createdAt());
        }
    }

    @PostMapping("/api/messaging/{list:blacklist|graylist}")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Put a number ({\"phone\"}) or a customer ({\"customer_id\"}) on the blacklist or graylist")
    ResponseEntity<EntryResponse> add(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable @Parameter(schema = @Schema(allowableValues = { "blacklist", "graylist" })) String list,
            @Valid @RequestBody ListRequest request) {
        ListEntries.Entry entry = lists.add(me.id(), kind(list), request.phone(), request.customerId(),
                request.reason());
        return ResponseEntity.created(URI.create("/api/messaging/" + list + "/" + entry.id()))
            .body(EntryResponse.from(entry));
    }

    @GetMapping("/api/messaging/{list:blacklist|graylist}")
    @Operation(summary = "The blacklist or graylist in id order; next page in X-Next-Cursor")
    ResponseEntity<List<EntryResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable @Parameter(schema = @Schema(allowableValues = { "blacklist", "graylist" })) String list,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return lists.list(me.id(), kind(list), cursor, limit).asArray(EntryResponse::from);
    }

    @DeleteMapping("/api/messaging/{list:blacklist|graylist}/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Take a number off the blacklist or graylist")
    void delete(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable @Parameter(schema = @Schema(allowableValues = { "blacklist", "graylist" })) String list,
            @PathVariable long id) {
        lists.delete(me.id(), kind(list), id);
    }

    private static String kind(String list) {
        return list.equals("blacklist") ? ListEntries.BLACK : ListEntries.GRAY;
    }

}
