package dev.kapi.events;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Seed 003's category routes under {@code /events/categories}. */
@RestController
@Tag(name = "categories")
class CategoryController {

    private final CategoryManagement categories;

    CategoryController(CategoryManagement categories) {
        this.categories = categories;
    }

    record CategoryRequest(@NotBlank @Size(max = 100) String name) {
    }

    record CategoryResponse(int id, String name) {

        static CategoryResponse from(Category category) {
            return new CategoryResponse(category.id(), category.name());
        }
    }

    @GetMapping("/events/categories")
    @Operation(summary = "All categories, by name")
    List<CategoryResponse> list() {
        return categories.all().stream().map(CategoryResponse::from).toList();
    }

    @PostMapping("/events/categories")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a category (admin, editor); names are unique without regard to case")
    CategoryResponse create(@Valid @RequestBody CategoryRequest request) {
        return CategoryResponse.from(categories.create(request.name()));
    }

    @PutMapping("/events/categories/{category_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Rename a category (admin, editor)")
    CategoryResponse rename(@PathVariable("category_id") int categoryId, @Valid @RequestBody CategoryRequest request) {
        return CategoryResponse.from(categories.rename(categoryId, request.name()));
    }

    @DeleteMapping("/events/categories/{category_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a category no live event uses (admin, editor); 409 otherwise")
    void delete(@PathVariable("category_id") int categoryId) {
        categories.delete(categoryId);
    }

}
