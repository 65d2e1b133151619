package dev.speck.triggers;

import java.util.List;
import java.util.Locale;

/**
 * One test on the hit or its visitor; a trigger's conditions must all hold.
 *
 * @param field  a hit attribute (country, region, city, device, browser, os, channel, source, campaign,
 *               medium, path, host, language) or {@code customer.<attribute>} (the customer's email,
 *               external_id, name or an imported attribute)
 * @param op     is, is_not, in, not_in, contains, starts_with
 * @param values what the field is compared with (one for is/is_not/contains/starts_with); text is
 *               compared without regard to case
 */
public record Condition(String field, Op op, List<String> values) {

    public static final List<String> HIT_FIELDS = List.of("country", "region", "city", "device", "browser", "os",
            "channel", "source", "campaign", "medium", "path", "host", "language");
    public static final String CUSTOMER_PREFIX = "customer.";

    public Condition {
        values = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    public enum Op implements WireName {
        IS("is"), IS_NOT("is_not"), IN("in"), NOT_IN("not_in"), CONTAINS("contains"), STARTS_WITH("starts_with");

        private final String wireName;

        Op(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        static Op fromWireName(String s) {
            return WireName.find(values(), s);
        }
    }

    /** Whether the field's value (null when the hit or customer has none) passes. A missing value passes only the negations. */
    public boolean holds(String actual) {
        String a = actual == null ? null : actual.toLowerCase(Locale.ROOT);
        return switch (op) {
            case IS, IN -> a != null && values.contains(a);
            case IS_NOT, NOT_IN -> a == null || !values.contains(a);
            case CONTAINS -> a != null && a.contains(values.get(0));
            case STARTS_WITH -> a != null && a.startsWith(values.get(0));
        };
    }

    /** A {@code customer.<attribute>} field's value on this customer (null for none, or no customer). */
    public static String customerValue(String field, dev.speck.customers.Customer customer) {
        if (customer == null) {
            return null;
        }
        String attribute = field.substring(CUSTOMER_PREFIX.length());
        return switch (attribute) {
            case "email" -> customer.email();
            case "external_id" -> customer.externalId();
            case "name" -> customer.name();
            default -> customer.attributes().get(attribute);
        };
    }

    boolean onCustomer() {
        return field.startsWith(CUSTOMER_PREFIX);
    }
}
