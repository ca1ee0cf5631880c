package dev.kapi.messaging.contact;

import java.util.Optional;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.kapi.shared.ApiException;

/**
 * Phone numbers in E.164 ({@code +905551234567}), read and checked by Google's
 * libphonenumber for every country. A number written without a country code is read in a
 * default region: Turkey unless told ({@code 0555 123 45 67} and {@code 90 555 123 45 67}
 * become {@code +905551234567}, as seed 001's users write them). Only digits, spaces,
 * dashes, dots, slashes, parentheses and a leading {@code +} are accepted (no vanity
 * letters); the number must be valid for its country.
 */
public final class PhoneNumbers {

    /** The region of numbers written without a country code, unless a sender says. */
    public static final String DEFAULT_REGION = "TR";

    /** The market of a number whose country is not known: the rate card's other row. */
    public static final String ANY_MARKET = "*";

    private static final int MAX_LENGTH = 40;

    private static final Pattern WRITTEN = Pattern.compile("\\+?[\\d\\s\\-.()/]+");

    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The number in E.164 (Turkish when written without a country code), or empty. */
    public static Optional<String> normalise(String raw) {
        return normalise(raw, DEFAULT_REGION);
    }

    /**
     * The number in E.164, reading one without a country code in {@code region} (ISO
     * 3166-1 alpha-2), or empty if it is not a valid phone number.
     */
    public static Optional<String> normalise(String raw, String region) {
        return parse(raw, region).map(number -> UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /** The number in E.164, or a 400 naming {@code field}. */
    public static String require(String raw, String field) {
        return require(raw, DEFAULT_REGION, field);
    }

    /** The number in E.164 read in {@code region}, or a 400 naming {@code field}. */
    public static String require(String raw, String region, String field) {
        return normalise(raw, region).orElseThrow(() -> ApiException.invalidField(field, "phone-invalid"));
    }

    /**
     * The country (ISO 3166-1 alpha-2) of a number in E.164: the market Meta prices a
     * message to it in; {@link #ANY_MARKET} when no single country has it.
     */
    public static String market(String e164) {
        return parse(e164, DEFAULT_REGION).map(UTIL::getRegionCodeForNumber)
            .filter(region -> REGION.matcher(region).matches())
            .orElse(ANY_MARKET);
    }

    /** Whether libphonenumber knows {@code region} (a sender's default region). */
    public static boolean knownRegion(String region) {
        return region != null && REGION.matcher(region).matches() && UTIL.getSupportedRegions().contains(region);
    }

    private static Optional<PhoneNumber> parse(String raw, String region) {
        if (raw == null) {
            return Optional.empty();
        }
        String written = raw.strip();
        if (written.isEmpty() || written.length() > MAX_LENGTH || !WRITTEN.matcher(written).matches()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(written, region);
            return UTIL.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        }
        catch (NumberParseException ex) {
            return Optional.empty();
        }
    }

}
