package dev.speck.enrich;

import dev.speck.hit.Hit;

/**
 * A hit with everything Speck could learn from it: what the store keeps.
 *
 * @param visitorId a cookieless visitor id (a keyed hash of the day's salt, pixel, IP and user agent), one
 *                  derived from the tag's first-party id, or null for an anonymous hit
 * @param ipPrefix  the client IP truncated (IPv4 /24, IPv6 /48): the raw IP is never stored
 * @param timeZone  the browser's zone when it sent one, else the geodata's zone
 * @param localHour the visitor's hour of day (0-23) at the hit, in {@code timeZone}; null when it is unknown
 * @param rawIp     the full client address, only when an admin keeps raw IPs (else null)
 * @param userAgent the user agent as sent (bounded), kept so that an admin's reclassification can reach
 *                  stored history; the same String the hit carried, not a copy
 * @param quality   the traffic quality verdict and its reasons; never null
 */
public record Event(
        Hit hit,
        String visitorId,
        String ipPrefix,
        GeoLocation geo,
        Device device,
        TrafficSource source,
        String timeZone,
        Integer localHour,
        String rawIp,
        String userAgent,
        TrafficQuality quality) {

    public Event {
        quality = quality == null ? TrafficQuality.HUMAN : quality;
    }

    /** An event without a raw IP (the default), a human one. */
    public Event(Hit hit, String visitorId, String ipPrefix, GeoLocation geo, Device device, TrafficSource source,
                 String timeZone, Integer localHour) {
        this(hit, visitorId, ipPrefix, geo, device, source, timeZone, localHour, null);
    }

    /** A human event, as events were before traffic quality. */
    public Event(Hit hit, String visitorId, String ipPrefix, GeoLocation geo, Device device, TrafficSource source,
                 String timeZone, Integer localHour, String rawIp) {
        this(hit, visitorId, ipPrefix, geo, device, source, timeZone, localHour, rawIp, null, TrafficQuality.HUMAN);
    }
}
