package dev.speck.audiences;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Meta's customer list (Custom Audiences): its column names, every value normalised as Meta documents and
 * SHA-256 hashed. Phone: E.164 digits without the "+" (country code first, no leading zeros).
 */
final class MetaRows implements Rows {

    static final List<String> HEADER = List.of("email", "phone", "fn", "ln", "zip", "country");

    private final Sha256 sha = new Sha256();
    private final String defaultCountry;

    MetaRows(ExportOptions options) {
        this.defaultCountry = options.defaultCountry();
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> row(AudienceMember m, Tally tally) {
        String country = Identifiers.country(m.country());
        String email = Identifiers.email(m.email());
        String phone = PhoneNumbers.e164(m.phone(), country, defaultCountry);
        if (m.phone() != null && phone == null) {
            tally.phonesLeftOut++;
        }
        if (email == null && phone == null) {
            return null;
        }
        return Arrays.asList(sha.hex(email), sha.hex(phone == null ? null : phone.substring(1)),
                sha.hex(Identifiers.metaName(m.firstName())), sha.hex(Identifiers.metaName(m.lastName())),
                sha.hex(Identifiers.metaZip(m.zip(), country)),
                sha.hex(country == null ? null : country.toLowerCase(Locale.ROOT)));
    }
}
