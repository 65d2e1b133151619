package dev.speck.access;

import java.util.Locale;

/** What an API key may do with the pixels it covers: read their data, or also change them. */
public enum KeyScope {
    READ, WRITE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyScope parse(String s) {
        for (KeyScope k : values()) {
            if (k.wireName().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("scope must be read or write");
    }
}
