package dev.kapi.messaging.contact;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's groups: named sets of one user's customers, with members added and removed
 * by id.
 */
@Service
class GroupManagement {

    private final Groups groups;

    private final Customers customers;

    private final Clock clock;

    GroupManagement(Groups groups, Customers customers, Clock clock) {
        this.groups = groups;
        this.customers = customers;
        this.clock = clock;
    }

    @Transactional
    Groups.Group create(long owner, String name, String description) {
        try {
            return groups.byId(owner, groups.insert(owner, name.strip(), description, clock.instant())).orElseThrow();
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("group-name-taken", name.strip());
        }
    }

    @Transactional(readOnly = true)
    Groups.Group get(long owner, long id) {
        return groups.byId(owner, id).orElseThrow(GroupManagement::notFound);
    }

    @Transactional
    Groups.Group update(long owner, long id, String name, String description) {
        Groups.Group current = get(owner, id);
        if (name != null && name.isBlank()) {
            throw ApiException.invalidField("name", "required");
        }
        String newName = name != null ? name.strip() : current.name();
        try {
            groups.update(owner, id, newName, description != null ? description : current.description(),
                    clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("group-name-taken", newName);
        }
        return get(owner, id);
    }

    /** Deletes the group; its customers stay. */
    @Transactional
    void delete(long owner, long id) {
        if (!groups.delete(owner, id)) {
            throw notFound();
        }
    }

    @Transactional(readOnly = true)
    Page<Groups.Group> list(long owner, String cursor, int limit) {
        return Page.byId(groups.page(owner, Cursors.afterId(cursor), limit), limit, Groups.Group::id);
    }

    /**
     * Adds customers; every id must be one of the owner's customers (else 400 naming
     * {@code customer_ids}).
     */
    @Transactional
    Groups.Group add(long owner, long id, List<Long> customerIds) {
        get(owner, id);
        groups.add(id, ownedCustomers(owner, customerIds));
        return get(owner, id);
    }

    @Transactional
    Groups.Group remove(long owner, long id, List<Long> customerIds) {
        get(owner, id);
        groups.remove(id, new LinkedHashSet<>(customerIds));
        return get(owner, id);
    }

    private Set<Long> ownedCustomers(long owner, List<Long> ids) {
        Set<Long> wanted = new LinkedHashSet<>(ids);
        Set<Long> owned = customers.owned(owner, wanted);
        wanted.stream().filter(wantedId -> !owned.contains(wantedId)).findFirst().ifPresent(unknown -> {
            throw ApiException.invalidField("customer_ids", "customer-unknown", unknown);
        });
        return wanted;
    }

    static ApiException notFound() {
        return ApiException.notFound("group-not-found");
    }

}
