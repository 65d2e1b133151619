package dev.speck.triggers;

/** A value the API names in lower case: the enums of a trigger's definition. */
interface WireName {

    String wireName();

    /** The value of {@code values} whose wire name is {@code s}, or null. */
    static <E extends WireName> E find(E[] values, String s) {
        for (E v : values) {
            if (v.wireName().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
