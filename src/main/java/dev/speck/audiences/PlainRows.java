package dev.speck.audiences;

import java.util.Arrays;
import java.util.List;

/** The plain member list (csv): what Speck knows of each member, as stored, nothing hashed or left out. */
final class PlainRows implements Rows {

    static final List<String> HEADER = List.of("customer_id", "external_id", "email", "phone", "first_name",
            "last_name", "country", "zip", "entered_at", "visitor_ids");

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> row(AudienceMember m, Tally tally) {
        return Arrays.asList(text(m.customerId()), text(m.externalId()), text(m.email()), text(m.phone()),
                text(m.firstName()), text(m.lastName()), text(m.country()), text(m.zip()),
                m.enteredAt() == null ? null : m.enteredAt().toString(), text(String.join(" ", m.visitorIds())));
    }

    /**
     * A cell a spreadsheet would run as a formula (= + - @ first, or a tab or CR) gets a leading apostrophe,
     * as the house's other CSV exports do: names and emails come from the public.
     */
    static String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }
}
