package dev.speck.audiences;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.Locale;

/**
 * What an export needs beyond its members.
 *
 * @param defaultCountry ISO 3166-1 alpha-2 code (upper case) of the country whose calling code a phone
 *                       number without one is read with, when the member has no country of their own;
 *                       null: such numbers are left out of the hashed formats
 */
public record ExportOptions(String defaultCountry) {

    public ExportOptions {
        if (defaultCountry != null) {
            String c = defaultCountry.trim().toUpperCase(Locale.ROOT);
            if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(c)) {
                throw new IllegalArgumentException("defaultCountry must be an ISO 3166-1 alpha-2 country code"
                        + " with a telephone numbering plan (for example DE, FR, US); got '" + defaultCountry + "'");
            }
            defaultCountry = c;
        }
    }

    /** No default country: only numbers written with their country code (+49…, 0049…) are used. */
    public static ExportOptions none() {
        return new ExportOptions(null);
    }

    public static ExportOptions defaultCountry(String isoCountry) {
        return new ExportOptions(isoCountry);
    }
}
