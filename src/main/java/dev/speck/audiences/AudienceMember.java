package dev.speck.audiences;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One member of an audience as an export sees it: a recognised customer (with what Speck knows of them)
 * or a visitor known only by visitor ids. Every field is optional except that a member has a customer
 * id or at least one visitor id. Values are kept as given; each export format normalises what it needs
 * (docs/AUDIENCES.md). Blank strings count as absent.
 *
 * @param customerId Speck's customer id
 * @param externalId the shop's own id for the customer
 * @param phone      as entered, in any national or international form
 * @param country    ISO 3166-1 alpha-2, either case
 * @param enteredAt  when the member entered the segment
 * @param visitorIds the visitor ids Speck has seen for the member, oldest first
 */
public record AudienceMember(String customerId, String externalId, String email, String phone, String firstName,
                             String lastName, String country, String zip, Instant enteredAt, List<String> visitorIds) {

    public AudienceMember {
        customerId = blankToNull(customerId);
        externalId = blankToNull(externalId);
        email = blankToNull(email);
        phone = blankToNull(phone);
        firstName = blankToNull(firstName);
        lastName = blankToNull(lastName);
        country = blankToNull(country);
        zip = blankToNull(zip);
        visitorIds = visitorIds == null ? List.of()
                : visitorIds.stream().filter(Objects::nonNull).filter(v -> !v.isBlank()).toList();
        if (customerId == null && visitorIds.isEmpty()) {
            throw new IllegalArgumentException("an audience member needs a customer id or a visitor id");
        }
    }

    /** A recognised customer with contact details and no visitor ids yet. */
    public static AudienceMember customer(String customerId, String email, String phone, String firstName,
                                          String lastName, String country, String zip) {
        return new AudienceMember(customerId, null, email, phone, firstName, lastName, country, zip, null, List.of());
    }

    /** A visitor Speck has not recognised: nothing an ad platform could match. */
    public static AudienceMember visitor(String visitorId, Instant enteredAt) {
        return new AudienceMember(null, null, null, null, null, null, null, null, enteredAt, List.of(visitorId));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
