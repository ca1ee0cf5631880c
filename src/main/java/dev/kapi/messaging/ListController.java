package dev.kapi.messaging;

import java.net.URI;
import java.time.Clock;
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
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's blacklist and graylist: numbers never sent to, and numbers sent to only at the graylist pace
 * of the automation settings (or skipped). An entry names a phone number or one of the user's customers.
 */
@RestController
@Tag(name = "messaging")
class ListController {

    private final ListEntries lists;
    private final Customers customers;
    private final Clock clock;

    ListController(ListEntries lists, Customers customers, Clock clock) {
        this.lists = lists;
        this.customers = customers;
        this.clock = clock;
    }

    record ListRequest(@Size(max = 40) String phone, @JsonProperty("customer_id") Long customerId,
            @Size(max = 500) String reason) {
    }

    record EntryResponse(long id, String phone, @JsonProperty("customer_id") Long customerId, String reason,
            String source, @JsonProperty("created_at") Instant createdAt) {

        static EntryResponse from(ListEntries.Entry entry) {
            return new EntryResponse(entry.id(), entry.phone(), entry.customerId(), entry.reason(), entry.source(),
                    entry.createdAt());
        }
    }

    @PostMapping("/api/messaging/{list:blacklist|graylist}")
    @Operation(summary = "Put a number ({\"phone\"}) or a customer ({\"customer_id\"}) on the blacklist or graylist")
    ResponseEntity<EntryResponse> add(@AuthenticationPrincipal CurrentAccount me, @PathVariable String list,
            @Valid @RequestBody ListRequest request) {
        if ((request.phone() == null) == (request.customerId() == null)) {
            throw ApiException.invalidField(request.phone() == null ? "phone" : "customer_id", "phone-or-customer");
        }
        String phone;
        Long customerId = request.customerId();
        if (customerId != null) {
            phone = customers.byId(me.id(), customerId).orElseThrow(CustomerManagement::notFound).phone();
        }
        else {
            phone = PhoneNumbers.require(request.phone(), "phone");
            customerId = customers.byPhone(me.id(), phone).map(Customer::id).orElse(null);
        }
        ListEntries.Entry entry = lists.add(me.id(), kind(list), phone, customerId,
                request.reason() == null || request.reason().isBlank() ? null : request.reason().strip(), "user",
                clock.instant()).orElseThrow(() -> ApiException.conflict("already-listed", phone));
        return ResponseEntity.created(URI.create("/api/messaging/" + list + "/" + entry.id()))
                .body(EntryResponse.from(entry));
    }

    @GetMapping("/api/messaging/{list:blacklist|graylist}")
    @Operation(summary = "The blacklist or graylist in id order; next page in X-Next-Cursor")
    ResponseEntity<List<EntryResponse>> list(@AuthenticationPrincipal CurrentAccount me, @PathVariable String list,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return Page.byId(lists.page(me.id(), kind(list), Cursors.afterId(cursor), limit), limit, ListEntries.Entry::id)
                .asArray(EntryResponse::from);
    }

    @DeleteMapping("/api/messaging/{list:blacklist|graylist}/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Take a number off the blacklist or graylist")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable String list, @PathVariable long id) {
        if (!lists.delete(me.id(), kind(list), id)) {
            throw ApiException.notFound("list-entry-not-found");
        }
    }

    private static String kind(String list) {
        return list.equals("blacklist") ? ListEntries.BLACK : ListEntries.GRAY;
    }
}
