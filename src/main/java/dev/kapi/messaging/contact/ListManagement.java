package dev.kapi.messaging.contact;

import java.time.Clock;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's blacklist and graylist ({@link ListEntries#BLACK},
 * {@link ListEntries#GRAY}): numbers never sent to, and numbers sent to only at the
 * graylist pace of the automation settings (or skipped). An entry names a phone number or
 * one of the user's customers.
 */
@Service
class ListManagement {

    private final ListEntries lists;

    private final Customers customers;

    private final Clock clock;

    ListManagement(ListEntries lists, Customers customers, Clock clock) {
        this.lists = lists;
        this.customers = customers;
        this.clock = clock;
    }

    /**
     * Puts a number, or a customer's number, on the list: exactly one of {@code phone}
     * and {@code customerId} is given (else 400 {@code phone-or-customer}); 409
     * {@code already-listed}.
     */
    @Transactional
    ListEntries.Entry add(long owner, String list, String phone, Long customerId, String reason) {
        if ((phone == null) == (customerId == null)) {
            throw ApiException.invalidField(phone == null ? "phone" : "customer_id", "phone-or-customer");
        }
        String number;
        Long customer = customerId;
        if (customer != null) {
            number = customers.byId(owner, customer).orElseThrow(CustomerManagement::notFound).phone();
        }
        else {
            number = PhoneNumbers.require(phone, customers.defaultRegion(owner), "phone");
            customer = customers.byPhone(owner, number).map(Customer::id).orElse(null);
        }
        return lists
            .add(owner, list, number, customer, reason == null || reason.isBlank() ? null : reason.strip(), "user",
                    clock.instant())
            .orElseThrow(() -> ApiException.conflict("already-listed", number));
    }

    @Transactional(readOnly = true)
    Page<ListEntries.Entry> list(long owner, String list, String cursor, int limit) {
        return Page.byId(lists.page(owner, list, Cursors.afterId(cursor), limit), limit, ListEntries.Entry::id);
    }

    @Transactional
    void delete(long owner, String list, long id) {
        if (!lists.delete(owner, list, id)) {
            throw ApiException.notFound("list-entry-not-found");
        }
    }

}
