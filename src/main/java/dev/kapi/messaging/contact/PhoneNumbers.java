package dev.kapi.messaging.contact;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.kapi.shared.ApiException;

/**
 * Phone numbers in E.164 ({@code +905551234567}). Numbers without a country code are
 * Turkish, as seed 001's users write them: {@code 0555 123 45 67}, {@code 555 123 45 67}
 * and {@code 90 555 123 45 67} all become {@code +905551234567}. Spaces, dashes, dots and
 * parentheses are ignored; anything else is not a number.
 */
public final class PhoneNumbers {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()/]");

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private static final Pattern TURKISH = Pattern.compile("90[2-9]\\d{9}");

    private PhoneNumbers() {
    }

    /** The number in E.164, or empty if it is not a phone number. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String plain = SEPARATORS.matcher(raw.strip()).replaceAll("");
        boolean international = false;
        if (plain.startsWith("+")) {
            plain = plain.substring(1);
            international = true;
        }
        else if (plain.startsWith("00")) {
            plain = plain.substring(2);
            international = true;
        }
        if (!DIGITS.matcher(plain).matches()) {
            return Optional.empty();
        }
        String digits;
        if (international) {
            digits = plain;
        }
        else if (plain.length() == 11 && plain.startsWith("0")) {
            digits = "90" + plain.substring(1);
        }
        else if (plain.length() == 10 && !plain.startsWith("0")) {
            digits = "90" + plain;
        }
        else if (plain.length() == 12 && plain.startsWith("90")) {
            digits = plain;
        }
        else {
            return Optional.empty();
        }
        if (digits.startsWith("0") || digits.length() < 8 || digits.length() > 15) {
            return Optional.empty();
        }
        if (digits.startsWith("90") && !TURKISH.matcher(digits).matches()) {
            return Optional.empty();
        }
        return Optional.of("+" + digits);
    }

    /** The number in E.164, or a 400 naming {@code field}. */
    public static String require(String raw, String field) {
        return normalise(raw).orElseThrow(() -> ApiException.invalidField(field, "phone-invalid"));
    }

}
