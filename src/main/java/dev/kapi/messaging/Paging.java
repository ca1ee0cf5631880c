package dev.kapi.messaging;

import java.util.List;
import java.util.function.Function;

import org.springframework.http.ResponseEntity;

import dev.kapi.shared.NextCursor;

/** How a messaging list answers: a plain JSON array, and the next page's cursor in {@code X-Next-Cursor}. */
final class Paging {

    private Paging() {
    }

    static <T, R> ResponseEntity<List<R>> answer(IdCursor.Page<T> page, Function<T, R> mapper) {
        return NextCursor.ok(page.nextCursor()).body(page.rows().stream().map(mapper).toList());
    }
}
