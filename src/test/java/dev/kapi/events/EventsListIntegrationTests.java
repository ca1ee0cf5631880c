package dev.kapi.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

class EventsListIntegrationTests extends EventsTestSupport {

    private static final Duration HOUR = Duration.ofHours(1);

    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void listWhenDefaultsThenSeedArrayOfAtMostTenSortedByStartTime() {
        String editor = editorToken();
        int category = freshCategory(editor);
        for (int i = 12; i >= 1; i--) {
            createEvent(editor, category, "Etkinlik " + i, DAY.multipliedBy(i), HOUR);
        }

        List<Map<String, Object>> events = list(newUserToken(), "category_id=" + category);

        assertThat(titles(events)).containsExactly("Etkinlik 1", "Etkinlik 2", "Etkinlik 3", "Etkinlik 4", "Etkinlik 5",
                "Etkinlik 6", "Etkinlik 7", "Etkinlik 8", "Etkinlik 9", "Etkinlik 10");
        assertThat(events.getFirst()).containsKeys("id", "title", "slug", "description", "content", "image_url",
                "location", "start_time", "end_time", "category", "created_by", "is_active", "created_at",
                "updated_at");
    }

    @Test
    void listWhenStatusUpcomingThenRunningEventsIncluded() {
        // given
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "Geçmiş", DAY.negated(), HOUR);
        createEvent(editor, category, "Süren", HOUR.negated(), HOUR.multipliedBy(3));
        createEvent(editor, category, "Gelecek", DAY, HOUR);
        String user = newUserToken();

        // when / then
        assertThat(titles(list(user, "status=upcoming&category_id=" + category))).containsExactly("Süren", "Gelecek");
        assertThat(titles(list(user, "status=past&category_id=" + category))).containsExactly("Geçmiş");
        assertThat(titles(list(user, "status=all&category_id=" + category))).containsExactly("Geçmiş", "Süren",
                "Gelecek");
        assertThat(titles(list(user, "category_id=" + category))).hasSize(3);
    }

    @Test
    void listWhenTimePassesThenAnEndedEventIsPast() {
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "Kısa", HOUR, HOUR);

        clock.advance(HOUR.multipliedBy(3));
        String user = newUserToken();

        assertThat(list(user, "status=upcoming&category_id=" + category)).isEmpty();
        assertThat(titles(list(user, "status=past&category_id=" + category))).containsExactly("Kısa");
    }

    @Test
    void listWhenSortedByEachAllowedFieldThenInThatOrderBothWays() {
        // given: start, end, creation and title orders all differ
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "çay", DAY.multipliedBy(2), HOUR.multipliedBy(10));
        clock.advance(Duration.ofMinutes(1));
        createEvent(editor, category, "Ayva", DAY.multipliedBy(3), HOUR);
        clock.advance(Duration.ofMinutes(1));
        createEvent(editor, category, "Cam", DAY, HOUR);
        clock.advance(Duration.ofMinutes(1));
        createEvent(editor, category, "zeytin", DAY.multipliedBy(4), HOUR);
        String user = newUserToken();
        String filter = "&category_id=" + category;

        // when / then
        assertThat(titles(list(user, "sort_by=start_time" + filter))).containsExactly("Cam", "çay", "Ayva", "zeytin");
        assertThat(titles(list(user, "sort_by=end_time" + filter))).containsExactly("Cam", "çay", "Ayva", "zeytin");
        assertThat(titles(list(user, "sort_by=created_at" + filter))).containsExactly("çay", "Ayva", "Cam", "zeytin");
        assertThat(titles(list(user, "sort_by=title" + filter))).containsExactly("Ayva", "Cam", "çay", "zeytin");
        assertThat(titles(list(user, "sort_by=title&sort_desc=true" + filter))).containsExactly("zeytin", "çay", "Cam",
                "Ayva");
        assertThat(titles(list(user, "sort_by=created_at&sort_desc=true" + filter))).containsExactly("zeytin", "Cam",
                "Ayva", "çay");
        assertThat(titles(list(user, "sort_desc=true" + filter))).containsExactly("zeytin", "Ayva", "çay", "Cam");
    }

    @Test
    void listWhenSortByOrStatusUnknownThenBadRequestNamingTheAllowedValues() {
        String user = newUserToken();

        as(user).get()
            .uri("/events?sort_by=price")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("sort_by")
            .jsonPath("$.errors[0].message")
            .isEqualTo("Geçersiz sıralama; izin verilenler: start_time, end_time, created_at, title");
        as(user).get()
            .uri("/events?status=soon")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("status")
            .jsonPath("$.errors[0].message")
            .isEqualTo("Geçersiz durum; izin verilenler: all, upcoming, past");
        as(user).get()
            .uri("/events?sort_desc=maybe")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("sort_desc");
        as(user).get()
            .uri("/events?category_id=music")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("category_id");
    }

    @Test
    void listWhenPagingValuesAreBadThenBadRequestNamingThem() {
        String user = newUserToken();

        for (String query : new String[] { "limit=101", "limit=0", "limit=ten" }) {
            as(user).get()
                .uri("/events?" + query)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("limit");
        }
        as(user).get()
            .uri("/events?skip=-1")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("skip");
        as(user).get()
            .uri("/events?cursor=not-a-cursor")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("cursor");
    }

    @Test
    void listWhenSkipAndLimitThenThatSlice() {
        String editor = editorToken();
        int category = freshCategory(editor);
        for (int i = 1; i <= 5; i++) {
            createEvent(editor, category, "Dilim " + i, DAY.multipliedBy(i), HOUR);
        }

        assertThat(titles(list(editor, "skip=1&limit=2&category_id=" + category))).containsExactly("Dilim 2",
                "Dilim 3");
        assertThat(titles(list(editor, "skip=4&limit=100&category_id=" + category))).containsExactly("Dilim 5");
        assertThat(list(editor, "skip=5&category_id=" + category)).isEmpty();
    }

    @Test
    void listWhenFollowingNextCursorsThenEveryEventOnceInOrderAndNoCursorOnTheLastPage() {
        // given: equal start times, so that the id breaks ties
        String editor = editorToken();
        int category = freshCategory(editor);
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            createEvent(editor, category, "Sayfa " + i, DAY.multipliedBy(i / 2), HOUR);
            created.add("Sayfa " + i);
        }

        // when
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            EntityExchangeResult<List<Map<String, Object>>> page = as(editor).get()
                .uri("/events?limit=3&category_id=" + category + (cursor == null ? "" : "&cursor=" + cursor))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_ARRAY)
                .returnResult();
            seen.addAll(titles(page.getResponseBody()));
            cursor = page.getResponseHeaders().getFirst(dev.kapi.shared.NextCursor.HEADER);
            pages++;
        }
        while (cursor != null);

        // then
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void listWhenCursorWalksDescendingTitlesThenSameAsSkipPaging() {
        String editor = editorToken();
        int category = freshCategory(editor);
        for (String title : new String[] { "Ilık", "ılgın", "İnci", "Çınar", "Cevher", "Şeker", "Su" }) {
            createEvent(editor, category, title, DAY, HOUR);
        }
        String filter = "&sort_by=title&sort_desc=true&category_id=" + category;
        List<String> bySkip = titles(list(editor, "limit=100" + filter));

        List<String> byCursor = new ArrayList<>();
        String cursor = null;
        do {
            EntityExchangeResult<List<Map<String, Object>>> page = as(editor).get()
                .uri("/events?limit=2" + filter + (cursor == null ? "" : "&cursor=" + cursor))
                .exchange()
                .expectBody(JSON_ARRAY)
                .returnResult();
            byCursor.addAll(titles(page.getResponseBody()));
            cursor = page.getResponseHeaders().getFirst(dev.kapi.shared.NextCursor.HEADER);
        }
        while (cursor != null);

        assertThat(byCursor).containsExactlyElementsOf(bySkip).hasSize(7);
        assertThat(bySkip).startsWith("Su", "Şeker");
    }

    @Test
    void listWhenCursorMadeForAnotherOrderThenBadRequest() {
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "Bir", DAY, HOUR);
        createEvent(editor, category, "İki", DAY, HOUR);
        String cursor = as(editor).get()
            .uri("/events?limit=1&category_id=" + category)
            .exchange()
            .returnResult()
            .getResponseHeaders()
            .getFirst(dev.kapi.shared.NextCursor.HEADER);

        assertThat(cursor).isNotNull();
        as(editor).get()
            .uri("/events?limit=1&sort_by=title&cursor=" + cursor)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("cursor");
        as(editor).get()
            .uri("/events?limit=1&sort_desc=true&cursor=" + cursor)
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void listWhenIfNoneMatchesThePageEtagThenNotModified() {
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "Liste", DAY, HOUR);
        String etag = as(editor).get()
            .uri("/events?category_id=" + category)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult()
            .getResponseHeaders()
            .getETag();

        as(editor).get()
            .uri("/events?category_id=" + category)
            .header(HttpHeaders.IF_NONE_MATCH, etag)
            .exchange()
            .expectStatus()
            .isNotModified();
        createEvent(editor, category, "Liste 2", DAY, HOUR);
        as(editor).get()
            .uri("/events?category_id=" + category)
            .header(HttpHeaders.IF_NONE_MATCH, etag)
            .exchange()
            .expectStatus()
            .isOk();
    }

    @Test
    void listWhenCategoryUnknownThenEmpty() {
        assertThat(list(newUserToken(), "category_id=987654321")).isEmpty();
    }

    @Test
    void searchWhenCaseAndTurkishLettersDifferThenFound() {
        String editor = editorToken();
        int category = freshCategory(editor);
        createEvent(editor, category, "İSTANBUL Buluşması", DAY, HOUR);
        createEvent(editor, category, "Ankara Buluşması", DAY.multipliedBy(2), HOUR);
        String user = newUserToken();
        String filter = "&category_id=" + category;

        assertThat(titles(list(user, "search=istanbul" + filter))).containsExactly("İSTANBUL Buluşması");
        assertThat(titles(list(user, "search=Istanbul" + filter))).containsExactly("İSTANBUL Buluşması");
        assertThat(titles(list(user, "search=İstanbul'da" + filter))).containsExactly("İSTANBUL Buluşması");
        assertThat(titles(list(user, "search=BULUSMASI" + filter))).hasSize(2);
        assertThat(titles(list(user, "search=izmir" + filter))).isEmpty();
    }

    @Test
    void searchWhenWordsInTitleOrDescriptionThenEveryWordMustMatch() {
        String editor = editorToken();
        int category = freshCategory(editor);
        String word = uniqueWord();
        createEvent(editor, category, Map.of("title", "Kubernetes " + word, "description", "Docker ile başlangıç"));
        createEvent(editor, category, Map.of("title", "Bulut Günü", "description", "Kubernetes ve " + word));
        createEvent(editor, category, Map.of("title", "Kubernetes Derin", "description", "Operatörler"));
        String user = newUserToken();
        String filter = "&category_id=" + category;

        assertThat(titles(list(user, "search=kubernetes" + filter))).hasSize(3);
        assertThat(titles(list(user, "search=" + word + filter))).containsExactlyInAnyOrder("Kubernetes " + word,
                "Bulut Günü");
        assertThat(titles(list(user, "search=kubernetes docker" + filter))).containsExactly("Kubernetes " + word);
        assertThat(titles(list(user, "search=docker operatör" + filter))).isEmpty();
    }

    @Test
    void searchWhenWordIsAPrefixOrMisspelledThenStillFound() {
        String editor = editorToken();
        int category = freshCategory(editor);
        String word = uniqueWord();
        createEvent(editor, category, Map.of("title", "Konferansı " + word + "lerimiz"));
        String user = newUserToken();
        String filter = "&category_id=" + category;

        assertThat(titles(list(user, "search=konferans" + filter))).hasSize(1);
        assertThat(titles(list(user, "search=" + word + filter))).hasSize(1);
        // one letter dropped, one swapped
        String misspelled = word.substring(0, 3) + word.substring(4, 7) + word.charAt(8) + word.charAt(7) + "lerimiz";
        assertThat(titles(list(user, "search=" + misspelled + filter))).hasSize(1);
        assertThat(list(user, "search=qqqqqqqq" + filter)).isEmpty();
    }

    @Test
    void searchWhenCombinedWithFiltersSortAndCursorThenAllApply() {
        String editor = editorToken();
        int category = freshCategory(editor);
        String word = uniqueWord();
        createEvent(editor, category, word + " Geçmiş", DAY.negated(), HOUR);
        createEvent(editor, category, word + " B", DAY.multipliedBy(2), HOUR);
        createEvent(editor, category, word + " A", DAY.multipliedBy(3), HOUR);
        createEvent(editor, category, "Başka", DAY, HOUR);
        String filter = "&search=" + word + "&status=upcoming&category_id=" + category;

        EntityExchangeResult<List<Map<String, Object>>> first = as(editor).get()
            .uri("/events?limit=1&sort_by=title" + filter)
            .exchange()
            .expectBody(JSON_ARRAY)
            .returnResult();
        String cursor = first.getResponseHeaders().getFirst(dev.kapi.shared.NextCursor.HEADER);
        List<Map<String, Object>> second = list(editor, "limit=1&sort_by=title&cursor=" + cursor + filter);

        assertThat(titles(first.getResponseBody())).containsExactly(word + " A");
        assertThat(titles(second)).containsExactly(word + " B");
        assertThat(titles(list(editor, "skip=1&sort_by=start_time" + filter))).containsExactly(word + " A");
    }

    private Map<String, Object> createEvent(String token, int category, Map<String, Object> fields) {
        Map<String, Object> all = new java.util.HashMap<>(fields);
        all.put("category_id", category);
        all.put("start_time", clock.instant().plus(DAY).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        all.put("end_time",
                clock.instant().plus(DAY).plus(HOUR).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return createEvent(token, all);
    }

    /** A made-up word of letters only, so that no other test's events contain it. */
    private static String uniqueWord() {
        StringBuilder word = new StringBuilder("w");
        for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 11).toCharArray()) {
            word.append((char) ('a' + Character.digit(c, 16)));
        }
        return word.toString();
    }

}
