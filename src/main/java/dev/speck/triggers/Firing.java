package dev.speck.triggers;

/**
 * One action to deliver: what a trigger made of one stored event.
 *
 * @param key      "trigger id:hit key": the same for the same trigger and hit however often the hit is
 *                 read again (after a crash, a rolled-back batch), so the outbox keeps one delivery
 * @param subject  whom it concerns, for per-subject order and erasure: the customer id, else null
 * @param body     the JSON payload
 */
public record Firing(Trigger trigger, String key, String subject, String url, java.util.Map<String, String> headers,
                     byte[] body) {
}
