package dev.kapi.shared;

import java.util.List;
import java.util.function.Function;

import org.springframework.http.ResponseEntity;

/**
 * One page of a keyset-paged list and the cursor of the next, null on the last. Every
 * list asks its query for {@code limit + 1} rows: the extra row only says that a next
 * page exists, so a full last page hands out no cursor to an empty one. The cursor is the
 * sort key of the last row shown, in {@link Cursors}' encoding.
 */
public record Page<T>(List<T> rows, String nextCursor) {

    /**
     * The first {@code limit} of {@code fetched} (asked for {@code limit + 1}), and the
     * next cursor if there were more.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<? super T, String> cursorOf) {
        if (fetched.size() > limit) {
            List<T> rows = List.copyOf(fetched.subList(0, limit));
            return new Page<>(rows, cursorOf.apply(rows.getLast()));
        }
        return new Page<>(List.copyOf(fetched), null);
    }

    /** A page of an id-ordered list: its cursor is the id of the last row shown. */
    public static <T> Page<T> byId(List<T> fetched, int limit, Function<? super T, Long> idOf) {
        return of(fetched, limit, row -> Cursors.ofId(idOf.apply(row)));
    }

    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(rows.stream().<R>map(mapper).toList(), nextCursor);
    }

    /**
     * The answer of a list that keeps a seed's plain JSON array: the rows, the cursor in
     * {@code X-Next-Cursor}.
     */
    public <R> ResponseEntity<List<R>> asArray(Function<? super T, ? extends R> mapper) {
        return NextCursor.ok(nextCursor).body(rows.stream().<R>map(mapper).toList());
    }
}
