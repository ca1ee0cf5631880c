package dev.kapi.messaging.contact;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
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
 * Seed 001's group routes: groups of the signed-in user's customers and their members.
 */
@RestController
@RequestMapping("/api/messaging/groups")
@Tag(name = "messaging")
class GroupController {

    private final GroupManagement groups;

    private final CustomerManagement customers;

    GroupController(GroupManagement groups, CustomerManagement customers) {
        this.groups = groups;
        this.customers = customers;
    }

    record CreateGroupRequest(@NotBlank @Size(max = 200) String name, @Size(max = 2_000) String description) {
    }

    record UpdateGroupRequest(@Size(max = 200) String name, @Size(max = 2_000) String description) {
    }

    record MembersRequest(@JsonProperty("customer_ids") @NotEmpty @Size(max = 10_000) List<@NotNull Long> customerIds) {
    }

    record GroupResponse(long id, String name, String description, @JsonProperty("customer_count") long customerCount,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        static GroupResponse from(Groups.Group group) {
            return new GroupResponse(group.id(), group.name(), group.description(), group.customerCount(),
                    group.createdAt(), group.updatedAt());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a group; names are unique per user, ignoring case")
    ResponseEntity<GroupResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateGroupRequest request) {
        Groups.Group created = groups.create(me.id(), request.name(), request.description());
        return ResponseEntity.created(URI.create("/api/messaging/groups/" + created.id()))
            .body(GroupResponse.from(created));
    }

    @GetMapping
    @Operation(summary = "Groups in id order; next page in X-Next-Cursor")
    ResponseEntity<List<GroupResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return groups.list(me.id(), cursor, limit).asArray(GroupResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One group with its number of customers")
    GroupResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return GroupResponse.from(groups.get(me.id(), id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change the given fields of a group")
    GroupResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody UpdateGroupRequest request) {
        return GroupResponse.from(groups.update(me.id(), id, request.name(), request.description()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a group; its customers stay")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        groups.delete(me.id(), id);
    }

    @GetMapping("/{id}/customers")
    @Operation(summary = "The group's customers in id order; next page in X-Next-Cursor")
    ResponseEntity<List<CustomerController.CustomerResponse>> members(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable long id, @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return customers.list(me.id(), null, id, cursor, limit).asArray(CustomerController.CustomerResponse::from);
    }

    @PostMapping("/{id}/customers")
    @Operation(summary = "Add customers to the group (those already in stay)")
    GroupResponse add(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody MembersRequest request) {
        return GroupResponse.from(groups.add(me.id(), id, request.customerIds()));
    }

    @DeleteMapping("/{id}/customers")
    @Operation(summary = "Remove customers from the group")
    GroupResponse remove(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody MembersRequest request) {
        return GroupResponse.from(groups.remove(me.id(), id, request.customerIds()));
    }

}
