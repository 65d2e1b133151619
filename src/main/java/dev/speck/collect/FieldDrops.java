package dev.speck.collect;

import java.util.ArrayList;
import java.util.List;

/**
 * The optional fields a request's hits lost to bad values. A bad optional field costs only itself
 * (a referrer that is no URL, {@code tz=+05:00}, {@code sr=abc}): it is left out, the hit is kept,
 * and the drop is counted per field and reason in {@code speck_hit_fields_dropped_total} once the
 * request's hits were read. Only required parts refuse a hit. Empty until the first drop: most
 * hits lose nothing, and this is on every hit's path.
 */
final class FieldDrops {

    /** Why a field was left out; its label is the metric's {@code reason}. */
    enum Reason {
        /** Not in the field's form (a time zone that is no IANA name, a screen that is not WxH). */
        MALFORMED("malformed"),
        /** A URL field that is no http(s) URL (nor, for a referrer, an app's). */
        NOT_A_URL("not_a_url"),
        /** A beacon field of the wrong JSON type (a number where a string belongs). */
        WRONG_TYPE("wrong_type"),
        /** A client address a trusted proxy forwarded as unknown or obfuscated (RFC 7239 {@code for=unknown}, {@code _hidden}). */
        UNKNOWN("unknown"),
        /** Text that is no UTF-8: bytes that are not, or a lone surrogate escaped in JSON (U+D800 alone). */
        NOT_UTF8("not_utf8"),
        /** A goal value below zero where no goal the hit meets takes refunds. */
        NEGATIVE("negative");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private record Drop(String field, Reason reason) {
    }

    private List<Drop> drops;

    /** Notes the drop and returns null, the field's value from now on. */
    <T> T drop(String field, Reason reason) {
        if (drops == null) {
            drops = new ArrayList<>(2);
        }
        drops.add(new Drop(field, reason));
        return null;
    }

    boolean isEmpty() {
        return drops == null;
    }

    void countInto(HitRecorder recorder) {
        if (drops != null) {
            drops.forEach(d -> recorder.fieldDropped(d.field(), d.reason().label()));
        }
    }
}
