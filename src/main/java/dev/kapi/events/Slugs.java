package dev.kapi.events;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * Readable slugs from titles: Turkish and other Latin letters transliterated to ASCII
 * ({@code Çalıştay Ğüşiöç} becomes {@code calistay-gusioc}), everything else a single
 * hyphen.
 */
final class Slugs {

    static final int MAX_LENGTH = 80;
    static final String FALLBACK = "etkinlik";

    /** Letters that Unicode does not decompose into a base letter and a mark. */
    private static final Map<Character, String> LETTERS = Map.of('ı', "i", 'ø', "o", 'Ø', "o", 'ß', "ss", 'æ', "ae",
            'Æ', "ae", 'đ', "d", 'Đ', "d", 'ł', "l", 'Ł', "l");

    private Slugs() {
    }

    static String of(String title) {
        StringBuilder plain = new StringBuilder(title.length());
        for (char c : title.toCharArray()) {
            String replacement = LETTERS.get(c);
            plain.append(replacement != null ? replacement : String.valueOf(c));
        }
        String slug = Normalizer.normalize(plain, Normalizer.Form.NFD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_LENGTH) {
            int cut = slug.lastIndexOf('-', MAX_LENGTH);
            slug = slug.substring(0, cut > MAX_LENGTH / 2 ? cut : MAX_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? FALLBACK : slug;
    }

}
