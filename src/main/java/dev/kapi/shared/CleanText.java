package dev.kapi.shared;

/**
 * What no text field of Kapı may hold: U+0000 (PostgreSQL refuses it in text) and UTF-16
 * surrogates without their pair (no UTF-8 can encode them). Checked where text enters:
 * JSON strings and names, query parameters, CSV cells.
 */
public final class CleanText {

    /** Problem code of a text with U+0000. */
    public static final String NUL = "text-nul";

    /** Problem code of a text with an unpaired surrogate. */
    public static final String UNPAIRED_SURROGATE = "text-unpaired-surrogate";

    private CleanText() {
    }

    /** The problem code of what is wrong with {@code text}, or null when it is clean. */
    public static String defect(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return NUL;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return UNPAIRED_SURROGATE;
            }
            if (Character.isLowSurrogate(c)) {
                return UNPAIRED_SURROGATE;
            }
        }
        return null;
    }

}
