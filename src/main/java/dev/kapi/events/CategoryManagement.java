package dev.kapi.events;

import java.time.Clock;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;

/**
 * The category catalogue: unique names without regard to case, never deleted under live
 * events.
 */
@Service
class CategoryManagement {

    private final Categories categories;

    private final Clock clock;

    CategoryManagement(Categories categories, Clock clock) {
        this.categories = categories;
        this.clock = clock;
    }

    List<Category> all() {
        return categories.all();
    }

    @Transactional
    Category create(String name) {
        try {
            return categories.create(name.strip(), clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("category-name-taken");
        }
    }

    @Transactional
    Category rename(int id, String name) {
        try {
            if (!categories.rename(id, name.strip(), clock.instant())) {
                throw ApiException.notFound("category-not-found");
            }
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("category-name-taken");
        }
        return new Category(id, name.strip());
    }

    /**
     * Deletes a category that no live event uses. The row lock makes an event being
     * created with this category at the same time either finish first (and block the
     * deletion) or fail on its foreign key.
     */
    @Transactional
    void delete(int id) {
        categories.lock(id).orElseThrow(() -> ApiException.notFound("category-not-found"));
        if (categories.usedByLiveEvents(id)) {
            throw ApiException.conflict("category-in-use");
        }
        categories.delete(id);
    }

}
