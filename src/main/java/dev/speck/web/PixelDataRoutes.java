package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.enrich.GeoAttribution;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.Pixel;
import dev.speck.report.Reports;

import io.netty.handler.codec.http.DefaultHttpHeaders;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import dev.speck.report.Traffic;
import java.util.Set;
import java.util.function.Supplier;

/** A pixel's stored data read back: /api/pixels/{pixel}/stats, /hours and /events. */
final class PixelDataRoutes {

    private static final int MAX_EVENTS_PAGE = 1000;

    private final Reports reports;
    private final Supplier<GeoAttribution> geoAttribution;

    /** {@code geoAttribution} is the credit the geo database in use asks for, or null; read per response. */
    PixelDataRoutes(Reports reports, Supplier<GeoAttribution> geoAttribution) {
        this.reports = reports;
        this.geoAttribution = geoAttribution;
    }

    Answer stats(Call call, Pixel pixel) {
        DateRange range = DateRange.of(call);
        Map<String, Object> out = range.describe(pixel, "UTC");
        out.put("identity", IdentityWindow.of(pixel));
        Traffic traffic = Params.traffic(call.query("traffic"));
        out.put("traffic", traffic.wireName());
        out.put("days", reports.daily(pixel.id(), range.from(), range.to(), traffic));
        return Answer.ok(out);
    }

    /** Events and visitors per hour of the visitors' own day: the hours are derived from geodata's time zones. */
    Answer hours(Call call, Pixel pixel) {
        DateRange range = DateRange.of(call);
        Map<String, Object> out = range.describe(pixel, "visitor");
        Traffic traffic = Params.traffic(call.query("traffic"));
        out.put("traffic", traffic.wireName());
        out.put("hours", reports.hours(pixel.id(), range.from(), range.to(), traffic));
        attribute(out);
        return Answer.ok(out);
    }

    Answer events(Call call, Pixel pixel) {
        int limit = Params.integer(call.query("limit"), 100, 1, MAX_EVENTS_PAGE, "limit");
        Long before = call.query("before") == null ? null
                : (long) Params.integer(call.query("before"), 0, 0, Integer.MAX_VALUE, "before");
        boolean csv = ApiIo.wantsCsv(call.exchange());
        List<Map<String, Object>> rows = reports.events(pixel.id(), before, limit);
        String next = rows.size() < limit ? null : "/api/pixels/" + pixel.id() + "/events?limit=" + limit
                + "&before=" + rows.get(rows.size() - 1).get("seq") + (csv ? "&format=csv" : "");
        if (csv) {
            return eventsCsv(rows, next);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", rows);
        if (next != null) {
            out.put("next", next);
        }
        attribute(out);
        return Answer.ok(out);
    }

    /**
     * The page of events as CSV: a column for every field any of them has (an event leaves out the
     * fields it lacks), objects such as {@code props} as JSON text; the next page in a Link header.
     */
    private Answer eventsCsv(List<Map<String, Object>> rows, String next) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        List<List<Object>> table = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            List<Object> line = new ArrayList<>(columns.size());
            for (String c : columns) {
                Object v = r.get(c);
                line.add(v instanceof Map<?, ?> || v instanceof Collection<?> ? new String(ApiJson.write(v), StandardCharsets.UTF_8) : v);
            }
            table.add(line);
        }
        GeoAttribution credit = geoAttribution.get();
        return ApiIo.csv(List.copyOf(columns), table, credit == null ? null : credit.text() + " (" + credit.url() + ")",
                next == null ? null : new DefaultHttpHeaders().set("Link", "<" + next + ">; rel=\"next\""));
    }

    /** Adds the credit the geo database's licence asks for to a response that shows geodata. */
    private void attribute(Map<String, Object> response) {
        GeoAttribution attribution = geoAttribution.get();
        if (attribution != null) {
            response.put("attribution", attribution);
        }
    }

    /** The days a read covers: 30 days up to {@code to} (today, UTC) unless given; at most ten years. */
    private record DateRange(LocalDate from, LocalDate to) {

        static DateRange of(Call call) {
            LocalDate to = Params.date(call.query("to"), LocalDate.now(ZoneOffset.UTC));
            LocalDate from = Params.date(call.query("from"), to.minusDays(29));
            if (from.isAfter(to) || from.plusDays(3660).isBefore(to)) {
                throw new BadRequest("from must be before to, at most ten years apart");
            }
            return new DateRange(from, to);
        }

        Map<String, Object> describe(Pixel pixel, String timeZone) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pixel", pixel.id());
            out.put("from", from.toString());
            out.put("to", to.toString());
            out.put("timeZone", timeZone);
            return out;
        }
    }
}
