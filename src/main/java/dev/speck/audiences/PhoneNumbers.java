package dev.speck.audiences;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers to E.164 with Google's libphonenumber: national forms are read with the member's country
 * (or the export's default), international ones ("+44…", "0044…", or digits that begin with a country
 * code when the national reading fails) as written. A number that is not a valid number of its country
 * afterwards is left out rather than hashed in a form no platform matches.
 */
final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** libphonenumber's "no region": only numbers with their country code can be read. */
    private static final String UNKNOWN_REGION = "ZZ";

    private PhoneNumbers() {
    }

    /** "+4930901820", or null. {@code country} is an upper-case ISO code or null. */
    static String e164(String raw, String country, String defaultCountry) {
        if (raw == null) {
            return null;
        }
        String region = country != null && UTIL.getSupportedRegions().contains(country) ? country
                : defaultCountry != null ? defaultCountry : UNKNOWN_REGION;
        String read = valid(raw, region);
        if (read == null && startsWithCountryCode(raw)) {
            // "4930901820", "1-234-567-8910": the country code written without its "+", as Meta's own
            // examples are; tried only when the national reading failed
            read = valid("+" + raw.strip(), UNKNOWN_REGION);
        }
        return read;
    }

    private static String valid(String raw, String region) {
        try {
            PhoneNumber n = UTIL.parse(raw, region);
            return UTIL.isValidNumber(n) ? UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** Begins with a digit other than 0 (a trunk or international prefix would be a 0). */
    private static boolean startsWithCountryCode(String raw) {
        String s = raw.strip();
        return !s.isEmpty() && s.charAt(0) >= '1' && s.charAt(0) <= '9';
    }
}
