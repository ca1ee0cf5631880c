package dev.kapi.messaging.contact;

import java.io.Reader;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Seed 001's customer routes: contacts of the signed-in user, and CSV import. */
@RestController
@RequestMapping("/api/messaging/customers")
@Tag(name = "messaging")
class CustomerController {

    private final CustomerManagement customers;

    CustomerController(CustomerManagement customers) {
        this.customers = customers;
    }

    record CreateCustomerRequest(@NotBlank @Size(max = 40) String phone, @Size(max = 200) String name,
            Map<String, String> fields) {
    }

    /** A partial change; {@code fields}, when given, replaces all custom fields. */
    record UpdateCustomerRequest(@Size(max = 40) String phone, @Size(max = 200) String name,
            Map<String, String> fields) {
    }

    record CustomerResponse(long id, String phone, String name, Map<String, String> fields,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        static CustomerResponse from(Customer customer) {
            return new CustomerResponse(customer.id(), customer.phone(), customer.name(), customer.fields(),
                    customer.createdAt(), customer.updatedAt());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a customer; the phone number is stored in E.164 (Turkish numbers without +90 accepted)")
    ResponseEntity<CustomerResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateCustomerRequest request) {
        Customer created = customers.create(me.id(), request.phone(), request.name(), request.fields());
        return ResponseEntity.created(URI.create("/api/messaging/customers/" + created.id()))
            .body(CustomerResponse.from(created));
    }

    @GetMapping
    @Operation(
            summary = "Customers in id order, filtered by search (name or phone) and group_id; next page in X-Next-Cursor")
    ResponseEntity<List<CustomerResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 200) String search,
            @RequestParam(name = "group_id", required = false) Long groupId,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return customers.list(me.id(), search, groupId, cursor, limit).asArray(CustomerResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One customer")
    CustomerResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return CustomerResponse.from(customers.get(me.id(), id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change the given fields of a customer")
    CustomerResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody UpdateCustomerRequest request) {
        return CustomerResponse.from(customers.update(me.id(), id, request.phone(), request.name(), request.fields()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a customer (also from its groups)")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        customers.delete(me.id(), id);
    }

    @PostMapping(path = "/import", consumes = { "text/csv", "text/plain" })
    @Operation(summary = "Import customers from CSV with a header row: phone, name, custom fields; counts and rejected "
            + "lines; with group_id every created or updated customer also joins that group")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "text/csv",
            schema = @Schema(type = "string", example = "phone,name\n+905551112233,Ayşe\n")))
    CustomerManagement.ImportResult importCsv(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(name = "group_id", required = false) Long groupId, Reader csv) {
        return customers.importCsv(me.id(), csv, groupId);
    }

}
