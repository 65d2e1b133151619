package dev.speck.customers;

import java.time.Instant;

/** A visitor id known to be a customer, since {@code firstSeen}, because of a hit of {@code source}. */
public record IdentityLink(String customerId, String visitorId, String pixel, String source, Instant firstSeen) {
}
