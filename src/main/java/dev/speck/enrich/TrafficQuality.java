package dev.speck.enrich;

import java.util.List;

/**
 * A hit's verdict and why it was given: short stable codes such as {@code yauaa:Robot},
 * {@code crawler-list}, {@code headless}, {@code webdriver}, {@code email-proxy:gmail},
 * {@code speck-test}, {@code server:curl} or {@code rule:<id>}. A human verdict has no reasons
 * unless a rule made it one.
 */
public record TrafficQuality(Verdict verdict, List<String> reasons) {

    public static final TrafficQuality HUMAN = new TrafficQuality(Verdict.HUMAN, List.of());

    public TrafficQuality {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    static TrafficQuality of(Verdict verdict, String reason) {
        return new TrafficQuality(verdict, List.of(reason));
    }

    /** The reasons as stored: comma-separated (codes hold no comma); null when there are none. */
    public String reasonText() {
        return reasons.isEmpty() ? null : String.join(",", reasons);
    }
}
