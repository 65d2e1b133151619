package dev.speck.audiences;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Google Ads Customer Match's hashed data file: its English column names; email, phone (E.164 with its
 * "+") and names SHA-256 hashed, country (two letters) and zip in plain text as Google asks.
 */
final class GoogleRows implements Rows {

    static final List<String> HEADER = List.of("Email", "Phone", "First Name", "Last Name", "Country", "Zip");

    private final Sha256 sha = new Sha256();
    private final String defaultCountry;

    GoogleRows(ExportOptions options) {
        this.defaultCountry = options.defaultCountry();
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> row(AudienceMember m, Tally tally) {
        String country = Identifiers.country(m.country());
        String email = Identifiers.googleEmail(m.email());
        String phone = PhoneNumbers.e164(m.phone(), country, defaultCountry);
        if (m.phone() != null && phone == null) {
            tally.phonesLeftOut++;
        }
        if (email == null && phone == null) {
            return null;
        }
        return Arrays.asList(sha.hex(email), sha.hex(phone), sha.hex(Identifiers.googleName(m.firstName())),
                sha.hex(Identifiers.googleName(m.lastName())),
                country == null ? null : country.toLowerCase(Locale.ROOT), Identifiers.plainZip(m.zip()));
    }
}
