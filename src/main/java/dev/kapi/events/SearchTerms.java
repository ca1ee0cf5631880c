package dev.kapi.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns a user's search words into a PostgreSQL {@code tsquery} over the folded title and
 * description. The words go through the very pipeline the documents went through
 * ({@code events_fold}, the {@code simple} parser), so "İSTANBUL'da" is the words
 * {@code istanbul} and {@code da}. Each word of three or more letters matches as a prefix
 * (Turkish suffixes: "konferans" finds "konferansı"); a word that no event contains is
 * replaced by the closest known words by trigram similarity, so "kubernets" still finds
 * "kubernetes"; an unknown word of one or two letters is ignored. All words must match.
 */
@Component
class SearchTerms {

    /** Words beyond this many are ignored; they would only narrow the result further. */
    static final int MAX_WORDS = 8;
    static final int PREFIX_MIN_LENGTH = 3;
    static final double MIN_SIMILARITY = 0.3;

    /**
     * A prefix that begins more known words than this is searched as a prefix, not word
     * by word.
     */
    static final int MAX_COMPLETIONS = 16;

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

    private record Word(String word, boolean known, List<String> completions, List<String> nearest) {
    }

    /**
     * The search, or empty when the text holds no word at all (then it filters nothing).
     */
    Optional<Search> resolve(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<Word> words = jdbc.sql("""
                SELECT q.word,
                       EXISTS (SELECT 1 FROM event_search_terms t WHERE t.term = q.word COLLATE "C") AS known,
                       ARRAY(SELECT t.term FROM event_search_terms t
                             WHERE t.term >= q.word COLLATE "C" AND t.term < (q.word || chr(1114111)) COLLATE "C"
                             ORDER BY t.term LIMIT :completions) AS completions,
                       ARRAY(SELECT n.term
                             FROM (SELECT t.term FROM event_search_terms t ORDER BY t.term <-> q.word LIMIT 3) n
                             WHERE similarity(n.term, q.word) >= :similarity) AS nearest
                FROM unnest(tsvector_to_array(to_tsvector('simple', events_fold(:text)))) AS q(word)
                LIMIT :max
                """)
            .param("text", text)
            .param("similarity", MIN_SIMILARITY)
            .param("max", MAX_WORDS)
            .param("completions", MAX_COMPLETIONS + 1)
            .query((rs, row) -> new Word(rs.getString("word"), rs.getBoolean("known"),
                    List.of((String[]) rs.getArray("completions").getArray()),
                    List.of((String[]) rs.getArray("nearest").getArray())))
            .list();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (Word word : words) {
            if (word.word().length() >= PREFIX_MIN_LENGTH && !word.completions().isEmpty()) {
                // The words it begins, spelled out: the full-text index answers exact
                // words much faster than
                // a prefix, which it must expand itself. Only a prefix of very many words
                // stays a prefix.
                parts.add(word.completions().size() > MAX_COMPLETIONS ? lexeme(word.word()) + ":*"
                        : any(word.completions()));
            }
            else if (word.known()) {
                parts.add(lexeme(word.word()));
            }
            else if (word.word().length() < PREFIX_MIN_LENGTH) {
                // An unknown short word is most likely a suffix cut off by an apostrophe
                // ("İstanbul'da").
                continue;
            }
            else if (!word.nearest().isEmpty()) {
                parts.add(any(word.nearest()));
            }
            else {
                return Optional.of(new Search(null));
            }
        }
        return Optional.of(new Search(parts.isEmpty() ? null : String.join(" & ", parts)));
    }

    private static String any(List<String> words) {
        return words.size() == 1 ? lexeme(words.getFirst())
                : words.stream().map(SearchTerms::lexeme).collect(Collectors.joining(" | ", "(", ")"));
    }

    private static String lexeme(String word) {
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'";
    }

}
