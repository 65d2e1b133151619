package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.collect.HitRecorder;
import dev.speck.collect.PixelActivity;
import dev.speck.hit.Rejection;
import dev.speck.pixels.Pixel;
import dev.speck.report.DailyCount;
import dev.speck.report.Reports;
import dev.speck.http.Answer;
import dev.speck.http.BadRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/pixels/{id}/health and POST /api/pixels/{id}/test: is the pixel receiving hits, and a hit to see it. */
final class PixelHealthRoutes {

    /** The event name of a test hit; it carries the property test=true. */
    static final String TEST_EVENT = "speck_test";

    private final PixelActivity activity;
    private final Reports reports;
    private final HitRecorder recorder;

    PixelHealthRoutes(PixelActivity activity, Reports reports, HitRecorder recorder) {
        this.activity = activity;
        this.reports = reports;
        this.recorder = recorder;
    }

    /** GET /api/pixels/{pixel}/health */
    Answer health(Call call, Pixel pixel) {
        return Answer.ok(health(pixel));
    }

    private Map<String, Object> health(Pixel pixel) {
        PixelActivity.Snapshot s = activity.snapshot(pixel.id());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // every hit that arrived, people or not: this page says whether the pixel is installed
        List<DailyCount> days = reports.daily(pixel.id(), today, today, dev.speck.report.Traffic.ALL);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pixel", pixel.id());
        out.put("enabled", pixel.enabled());
        out.put("lastHitSeen", s.lastHitAt() == 0 ? lastStored(pixel) : Instant.ofEpochMilli(s.lastHitAt()).toString());
        out.put("hitsToday", days.isEmpty() ? 0 : days.get(0).events());
        out.put("acceptedSinceStart", s.accepted());
        Map<String, Long> rejections = new LinkedHashMap<>();
        for (Rejection r : Rejection.values()) {
            if (s.rejectedByReason()[r.ordinal()] > 0) {
                rejections.put(r.label(), s.rejectedByReason()[r.ordinal()]);
            }
        }
        out.put("rejectionsSinceStart", rejections);
        out.put("note", "hitsToday counts stored events of the UTC day; accepted and rejected count since Speck started");
        return out;
    }

    /** After a restart the collector has seen nothing yet: the newest stored event says when the last hit came. */
    private Object lastStored(Pixel pixel) {
        List<Map<String, Object>> newest = reports.events(pixel.id(), null, 1);
        return newest.isEmpty() ? null : newest.get(0).get("time");
    }

    /** Straight into the journal, like any collected hit, so it shows up in the live view once stored. */
    Answer test(Call call, Pixel pixel) {
        if (!pixel.enabled()) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "the pixel is disabled: enable it to test it");
        }
        Hit hit = Hit.of(System.currentTimeMillis(), HitKind.EVENT, pixel.id()).name(TEST_EVENT)
                .client(new Hit.Client("127.0.0.1", "Speck test hit")).props(Map.of("test", "true")).build();
        Rejection r = recorder.record(hit);
        if (r != null) {
            throw new BadRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, "the test hit was refused: " + r.label());
        }
        return Answer.json(HttpResponseStatus.ACCEPTED, Map.of("sent", true, "kind", "event", "name", TEST_EVENT));
    }
}
