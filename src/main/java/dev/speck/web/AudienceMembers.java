package dev.speck.web;

import dev.speck.audiences.AudienceMember;
import dev.speck.customers.Customer;
import dev.speck.segments.Member;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A segment member as an export sees them. A customer's phone, country, zip and names come from their
 * attributes (phone, country, zip, first_name, last_name; else the name split at its first space);
 * their consent for marketing from the attribute {@code consent_marketing} (yes, true, granted or 1).
 * Without it a customer is left out of every export.
 */
final class AudienceMembers {

    static final String CONSENT = "consent_marketing";
    private static final Set<String> YES = Set.of("yes", "true", "granted", "1");

    private AudienceMembers() {
    }

    /** The member for an export, or null for a customer without consent for marketing. */
    static AudienceMember of(Member m) {
        Customer k = m.customer();
        if (k == null) {
            return m.person().startsWith("v:") ? AudienceMember.visitor(m.person().substring(2), m.entered()) : null;
        }
        String consent = k.attributes().get(CONSENT);
        if (consent == null || !YES.contains(consent.strip().toLowerCase(Locale.ROOT))) {
            return null;
        }
        String first = k.attributes().get("first_name");
        String last = k.attributes().get("last_name");
        if (first == null && last == null && k.name() != null) {
            String[] parts = k.name().strip().split("\\s+", 2);
            first = parts[0];
            last = parts.length > 1 ? parts[1] : null;
        }
        return new AudienceMember(k.id(), k.externalId(), k.email(), k.attributes().get("phone"), first, last,
                k.attributes().get("country"), k.attributes().get("zip"), m.entered(), List.of());
    }
}
