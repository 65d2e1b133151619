package dev.speck.customers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person the site knows. {@code id} is Speck's own (what links and the API use); the site
 * knows them by {@code externalId} and/or {@code email}; {@code aliases} are the opaque recipient
 * tokens its emails and signed links carry for them.
 */
public record Customer(String id, String externalId, String email, String name, Map<String, String> attributes,
                       List<String> aliases, Instant created, Instant updated) {

    public Customer {
        Map<String, String> a = new java.util.LinkedHashMap<>(attributes);
        a.values().removeIf(java.util.Objects::isNull);
        attributes = java.util.Collections.unmodifiableMap(a);
        aliases = List.copyOf(aliases);
    }

    /** Whether a recipient token or claimed identity names this customer. */
    public boolean answersTo(String reference) {
        return reference != null && (reference.equals(externalId) || reference.equalsIgnoreCase(email)
                || aliases.contains(reference) || reference.equals(id));
    }

    /** Every value by which a hit may name this customer: the id, external id, email and aliases. */
    public List<String> references() {
        List<String> out = new java.util.ArrayList<>();
        out.add(id);
        if (externalId != null) {
            out.add(externalId);
        }
        if (email != null) {
            out.add(email);
        }
        out.addAll(aliases);
        return out;
    }
}
