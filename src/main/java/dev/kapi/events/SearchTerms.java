package dev.kapi.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns a user's search words into a PostgreSQL {@code tsquery} over the folded title and description.
 * The words go through the very pipeline the documents went through ({@code events_fold}, the
 * {@code simple} parser), so "İSTANBUL'da" is the words {@code istanbul} and {@code da}. Each word of
 * three or more letters matches as a prefix (Turkish suffixes: "konferans" finds "konferansı"); a word
 * that no event contains is replaced by the closest known words by trigram similarity, so "kubernets"
 * still finds "kubernetes"; an unknown word of one or two letters is ignored. All words must match.
 */
@Component
class SearchTerms {

    /** Words beyond this many are ignored; they would only narrow the result further. */
    static final int MAX_WORDS = 8;
    static final int PREFIX_MIN_LENGTH = 3;
    static final double MIN_SIMILARITY = 0.3;

    private final JdbcClient jdbc;

    SearchTerms(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a search asks for: a tsquery, or nothing when it cannot match any event. */
    record Search(String tsquery) {

        boolean matchesNothing() {
            return tsquery == null;
        }
    }

    private record Word(String word, boolean known, boolean knownAsPrefix, List<String> nearest) {
    }

    /** The search, or empty when the text holds no word at all (then it filters nothing). */
    Optional<Search> resolve(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<Word> words = jdbc.sql("""
                SELECT q.word,
                       EXISTS (SELECT 1 FROM event_search_terms t WHERE t.term = q.word COLLATE "C") AS known,
                       EXISTS (SELECT 1 FROM event_search_terms t
                               WHERE t.term >= q.word COLLATE "C"
                                 AND t.term < (q.word || chr(1114111)) COLLATE "C") AS known_as_prefix,
                       ARRAY(SELECT n.term
                             FROM (SELECT t.term FROM event_search_terms t ORDER BY t.term <-> q.word LIMIT 3) n
                             WHERE similarity(n.term, q.word) >= :similarity) AS nearest
                FROM unnest(tsvector_to_array(to_tsvector('simple', events_fold(:text)))) AS q(word)
                LIMIT :max
                """)
                .param("text", text).param("similarity", MIN_SIMILARITY).param("max", MAX_WORDS)
                .query((rs, row) -> new Word(rs.getString("word"), rs.getBoolean("known"),
                        rs.getBoolean("known_as_prefix"), List.of((String[]) rs.getArray("nearest").getArray())))
                .list();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (Word word : words) {
            if (word.word().length() >= PREFIX_MIN_LENGTH && word.knownAsPrefix()) {
                parts.add(lexeme(word.word()) + ":*");
            }
            else if (word.known()) {
                parts.add(lexeme(word.word()));
            }
            else if (word.word().length() < PREFIX_MIN_LENGTH) {
                // An unknown short word is most likely a suffix cut off by an apostrophe ("İstanbul'da").
                continue;
            }
            else if (!word.nearest().isEmpty()) {
                parts.add(word.nearest().stream().map(SearchTerms::lexeme)
                        .collect(Collectors.joining(" | ", "(", ")")));
            }
            else {
                return Optional.of(new Search(null));
            }
        }
        return Optional.of(new Search(parts.isEmpty() ? null : String.join(" & ", parts)));
    }

    private static String lexeme(String word) {
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
