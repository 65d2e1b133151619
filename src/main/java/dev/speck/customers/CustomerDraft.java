package dev.speck.customers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A customer as the API or a CSV row gives it, checked and bounded. Null fields are left as they
 * are when the customer exists; attributes given replace the stored ones key by key.
 */
public record CustomerDraft(String externalId, String email, String name, Map<String, String> attributes,
                            List<String> aliases) {

    public static final int MAX_EXTERNAL_ID = 128;
    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 200;
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_NAME = 64;
    public static final int MAX_ATTRIBUTE_VALUE = 1000;
    public static final int MAX_ALIASES = 10;
    public static final int MAX_ALIAS = 256;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Checks and normalises: throws IllegalArgumentException with a message a user can act on. */
    public CustomerDraft {
        externalId = text(externalId, MAX_EXTERNAL_ID, "external id");
        email = text(email, MAX_EMAIL, "email");
        if (email != null) {
            email = email.toLowerCase(Locale.ROOT);
            if (!EMAIL.matcher(email).matches()) {
                throw new IllegalArgumentException("'" + shorten(email) + "' is not an email address");
            }
        }
        if (externalId == null && email == null) {
            throw new IllegalArgumentException("a customer needs an external id or an email");
        }
        name = text(name, MAX_NAME, "name");
        attributes = attributes(attributes);
        aliases = aliases(aliases);
    }

    private static Map<String, String> attributes(Map<String, String> given) {
        if (given == null) {
            return Map.of();
        }
        if (given.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("at most " + MAX_ATTRIBUTES + " attributes");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().trim();
            if (key.isEmpty() || key.length() > MAX_ATTRIBUTE_NAME || !ATTRIBUTE_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("attribute name '" + shorten(key) + "' must be 1-" + MAX_ATTRIBUTE_NAME
                        + " letters, digits, _ . or -");
            }
            String value = e.getValue();
            if (value != null && value.length() > MAX_ATTRIBUTE_VALUE) {
                throw new IllegalArgumentException("attribute " + key + " is longer than " + MAX_ATTRIBUTE_VALUE + " characters");
            }
            out.put(key, value);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static List<String> aliases(List<String> given) {
        if (given == null) {
            return null; // not given: kept as stored
        }
        List<String> out = new ArrayList<>();
        for (String a : given) {
            String alias = text(a, MAX_ALIAS, "alias");
            if (alias != null && !out.contains(alias)) {
                out.add(alias);
            }
        }
        if (out.size() > MAX_ALIASES) {
            throw new IllegalArgumentException("at most " + MAX_ALIASES + " aliases");
        }
        return List.copyOf(out);
    }

    private static String text(String value, int max, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(what + " contains a control character");
            }
        }
        return v;
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
