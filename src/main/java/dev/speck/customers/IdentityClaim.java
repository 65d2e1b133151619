package dev.speck.customers;

/**
 * A verified statement that the visitor behind a hit is the customer named {@code reference}
 * (an external id, email or alias). Only the loader makes claims, after checking the signature.
 *
 * @param source          identify, landing, email_open or link_click
 * @param createsCustomer whether an unknown reference becomes a new customer (signed identities
 *                        do; recipient tokens only ever name customers the site imported)
 */
public record IdentityClaim(String reference, String visitorId, String pixel, String source, long time,
                            boolean createsCustomer) {
}
