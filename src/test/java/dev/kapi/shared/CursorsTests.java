package dev.kapi.shared;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one id cursor: what it hands out reads back; anything else, another list's cursor
 * too, is a 400.
 */
class CursorsTests {

    @Test
    void anIdCursorReadsBackAsItsId() {
        assertThat(Cursors.afterId(Cursors.ofId(42))).isEqualTo(42L);
        assertThat(Cursors.afterId(null)).isNull();
        assertThat(Cursors.afterId(" ")).isNull();
    }

    @Test
    void aCursorThatIsNotAnIdIsA400NamingCursor() {
        assertThatThrownBy(() -> Cursors.afterId("not base64 !")).isInstanceOf(ApiException.class)
            .satisfies(ex -> assertThat(((ApiException) ex).field()).isEqualTo("cursor"));
        assertThatThrownBy(() -> Cursors.afterId(Cursors.encode("x", "y"))).isInstanceOf(ApiException.class);
        // A keyset of two parts (a trade list's time and id) is not an id.
        assertThatThrownBy(() -> Cursors.afterId(Cursors.encode("2026-01-01T00:00:00Z", 5)))
            .isInstanceOf(ApiException.class);
    }

}
