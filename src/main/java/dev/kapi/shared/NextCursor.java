package dev.kapi.shared;

import org.springframework.http.ResponseEntity;

/**
 * How every list that keeps a seed's plain JSON array answers with keyset paging: the
 * opaque cursor of the next page goes in the {@code X-Next-Cursor} header, absent on the
 * last page.
 */
public final class NextCursor {

    public static final String HEADER = "X-Next-Cursor";

    private NextCursor() {
    }

    /** A 200 answer that names the next page, when there is one. */
    public static ResponseEntity.BodyBuilder ok(String nextCursor) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (nextCursor != null) {
            answer.header(HEADER, nextCursor);
        }
        return answer;
    }

}
