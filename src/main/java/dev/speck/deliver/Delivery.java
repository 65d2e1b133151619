package dev.speck.deliver;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One webhook call to make: what a trigger (or a connector) enqueues into the {@link Outbox}, and
 * where it stands. The key is the delivery's identity everywhere: the outbox keeps one row per key,
 * and the receiver gets it as {@code Speck-Idempotency-Key} on every attempt.
 *
 * @param key         stable and unique, such as "{trigger id}:{event seq}" (letters, digits, {@code . _ : -})
 * @param source      what enqueued it (a trigger's id): the delivery log is kept per source
 * @param customerId  the customer it is about, or null: one customer's deliveries go out in enqueue order
 * @param url         http or https
 * @param method      POST, PUT or PATCH
 * @param headers     custom headers (never hop-by-hop ones, Host or Content-Length)
 * @param body        the JSON body, sent as is and signed
 * @param created     when it was enqueued
 * @param attempts    attempts begun so far
 * @param nextAttempt when it is due (pending), or when it ended
 * @param retriesFrom where the retry horizon counts from: enqueued, or re-delivered by an admin
 */
public record Delivery(String key, String source, String customerId, String url, String method,
                       Map<String, String> headers, String body, Instant created, int attempts, Instant nextAttempt,
                       Status status, Instant retriesFrom) {

    static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    public enum Status {
        PENDING, DELIVERED, DEAD;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The status of a wire name, or null. */
        public static Status fromWireName(String s) {
            for (Status st : values()) {
                if (st.wireName().equals(s)) {
                    return st;
                }
            }
            return null;
        }
    }

    public Delivery {
        headers = Map.copyOf(headers);
    }

    /**
     * A new delivery, due now. Refuses (IllegalArgumentException, with what is allowed) a key, method,
     * URL or header the outbox would not send, so a bad action is said when it is saved, not at 3 a.m.
     */
    public static Delivery of(String key, String source, String customerId, String url, String method,
                              Map<String, String> headers, String body, Instant now) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a delivery key is 1 to 200 letters, digits, '.', '_', ':' or '-'");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a delivery names its source");
        }
        String m = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        if (!m.equals("POST") && !m.equals("PUT") && !m.equals("PATCH")) {
            throw new IllegalArgumentException("a delivery's method is POST, PUT or PATCH");
        }
        Target.parse(url);
        Map<String, String> h = headers == null ? Map.of() : headers;
        CustomHeaders.check(h);
        return new Delivery(key, source, customerId, url, m, h, body == null ? "" : body, now, 0, now,
                Status.PENDING, now);
    }

    /**
     * The endpoint a URL's signing secret belongs to: scheme, host, port and path, so URLs that differ
     * only in their query share one secret.
     */
    public static String endpoint(String url) {
        return Target.parse(url).endpoint();
    }
}
