package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Rejection;
import dev.speck.http.Exchange;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.ConsentDecision;
import dev.speck.privacy.PrivacyRequest;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.List;
import java.util.function.Predicate;

/**
 * The steps every hit endpoint takes, in this order: the pixel must exist and be enabled; the
 * account and the request's privacy signals may refuse the hit before it is read (so a refused
 * hit's address never reaches the journal); the endpoint reads its hits; the pixel's consent rule
 * may drop each or make it anonymous; the journal takes them. Between reading and consent, the
 * hits' text is cleaned ({@link CleanText}) and values below zero are held to the pixel's goals,
 * once for every endpoint. Everything is counted here; each
 * endpoint only turns the {@link Result} into its own answer (a GIF, JSON, a redirect).
 */
final class Admission {

    /** What became of a request's hits. */
    sealed interface Result permits Admitted, Refused, Rejected, Unavailable, UnknownPixel {
    }

    /** Every hit was journaled or, by the pixel's consent rule, dropped: acknowledged either way. */
    record Admitted(int acknowledged) implements Result {
    }

    /** The visitor's or the account's choice, before the hit was read: answered, not recorded. */
    record Refused(NotRecorded reason) implements Result {
    }

    /** A disabled pixel or bad input: nothing was journaled. {@code detail} says what was wrong with the input. */
    record Rejected(Rejection reason, String detail) implements Result {
    }

    /** The journal took no more: the hits before it were journaled ({@code acknowledged}), the rest not. */
    record Unavailable(Rejection reason, int acknowledged) implements Result {
    }

    /** No pixel has this id. */
    record UnknownPixel() implements Result {
    }

    /**
     * Reads the hits of a request; throws {@link Limits.TooLarge} or IllegalArgumentException for a
     * bad required part, and notes a bad optional field in {@code drops} (the hit is kept without it).
     */
    @FunctionalInterface
    interface HitReader {
        List<Hit> read(FieldDrops drops);
    }

    private static final UnknownPixel UNKNOWN_PIXEL = new UnknownPixel();

    private final PixelRegistry pixels;
    private final ConsentDecision consent;
    private final HitRecorder recorder;
    private final Predicate<Hit> takesRefunds;

    /** @param takesRefunds whether a goal the hit meets allows a value below zero (a refund) */
    Admission(PixelRegistry pixels, ConsentDecision consent, HitRecorder recorder, Predicate<Hit> takesRefunds) {
        this.pixels = pixels;
        this.consent = consent;
        this.recorder = recorder;
        this.takesRefunds = takesRefunds;
    }

    /** Looks the pixel up, then {@link #admit(Pixel, Exchange, HitReader)}. */
    Result admit(String pixelId, Exchange ex, HitReader reader) {
        Pixel pixel = pixel(pixelId);
        return pixel == null ? UNKNOWN_PIXEL : admit(pixel, ex, reader);
    }

    /** The pixel, or null (counted) when none has this id: for an endpoint with checks of its own before the rest. */
    Pixel pixel(String pixelId) {
        Pixel pixel = pixels.pixel(pixelId);
        if (pixel == null) {
            recorder.reject(Rejection.UNKNOWN_PIXEL);
        }
        return pixel;
    }

    /** Every step after the pixel was found. */
    Result admit(Pixel pixel, Exchange ex, HitReader reader) {
        if (!pixel.enabled()) {
            recorder.reject(Rejection.DISABLED_PIXEL, pixel.id());
            return new Rejected(Rejection.DISABLED_PIXEL, null);
        }
        NotRecorded refusal = consent.refusal(pixel.privacy(), new PrivacyRequest(ex.header(HttpHeaderNames.COOKIE),
                ex.header(HitParams.Headers.GLOBAL_PRIVACY_CONTROL), ex.header(HitParams.Headers.DO_NOT_TRACK)));
        if (refusal != null) {
            recorder.notRecorded(refusal);
            return new Refused(refusal);
        }
        List<Hit> hits;
        FieldDrops drops = new FieldDrops();
        try {
            hits = negativeValues(clean(reader.read(drops), drops), drops);
        } catch (Limits.TooLarge e) {
            recorder.reject(Rejection.TOO_LARGE, pixel.id());
            return new Rejected(Rejection.TOO_LARGE, e.getMessage());
        } catch (IllegalArgumentException e) {
            recorder.reject(Rejection.MALFORMED_REQUEST, pixel.id());
            return new Rejected(Rejection.MALFORMED_REQUEST, e.getMessage());
        }
        drops.countInto(recorder); // only for hits that were read: a refused hit's fields are not counted
        int acknowledged = 0;
        for (Hit read : hits) {
            Hit hit = consent.apply(read, pixel.privacy());
            if (hit == null) {
                recorder.notRecorded(NotRecorded.NO_CONSENT);
                acknowledged++; // acknowledged as the visitor's choice: the tag must not retry it
                continue;
            }
            Rejection refused = recorder.record(hit);
            if (refused != null) {
                return new Unavailable(refused, acknowledged);
            }
            acknowledged++;
        }
        return new Admitted(acknowledged);
    }

    /**
     * A value below zero stands only where a goal the hit meets takes refunds; elsewhere it is
     * refused like any bad value: the hit, on a goal (the value is what it counts), else the value alone.
     */
    private List<Hit> negativeValues(List<Hit> hits, FieldDrops drops) {
        List<Hit> out = hits;
        for (int i = 0; i < hits.size(); i++) {
            Hit hit = hits.get(i);
            if (hit.value().amount() == null || hit.value().amount().signum() >= 0 || takesRefunds.test(hit)) {
                continue;
            }
            if (hit.kind() == HitKind.GOAL) {
                throw new IllegalArgumentException((hits.size() > 1 ? "event " + i + ": " : "") + "value "
                        + hit.value().amount().toPlainString() + " is below zero, and no goal this hit meets takes refunds (allowNegative)");
            }
            drops.drop(HitFields.Field.VALUE, FieldDrops.Reason.NEGATIVE);
            if (out == hits) {
                out = new java.util.ArrayList<>(hits);
            }
            out.set(i, new Hit(hit.receivedAt(), hit.kind(), hit.pixel(), hit.name(), hit.page(), hit.client(),
                    Hit.Value.NONE, hit.email(), hit.link(), hit.props(), hit.signals()));
        }
        return out;
    }

    private static List<Hit> clean(List<Hit> hits, FieldDrops drops) {
        if (hits.size() == 1) {
            Hit clean = CleanText.hit(hits.get(0), drops);
            return clean == hits.get(0) ? hits : List.of(clean);
        }
        List<Hit> out = new java.util.ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            try {
                out.add(CleanText.hit(hits.get(i), drops));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event " + i + ": " + e.getMessage());
            }
        }
        return out;
    }
}
