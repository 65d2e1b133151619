package dev.speck.audiences;

import java.util.Arrays;
import java.util.List;

/**
 * LinkedIn's contact list template (Matched Audiences): all of its columns, since LinkedIn refuses a file
 * whose headers were changed or removed. Only the email may be SHA-256 hashed there, so a row carries the
 * hashed email and the country code and nothing else in clear: names would have to go in plain text, and
 * LinkedIn does not take phone numbers. A member without a usable email is left out.
 */
final class LinkedInRows implements Rows {

    static final List<String> HEADER = List.of("email", "firstname", "lastname", "jobtitle", "employeecompany",
            "country", "googleaid");

    private final Sha256 sha = new Sha256();

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> row(AudienceMember m, Tally tally) {
        String email = Identifiers.email(m.email());
        if (email == null) {
            return null;
        }
        return Arrays.asList(sha.hex(email), null, null, null, null, Identifiers.country(m.country()), null);
    }
}
