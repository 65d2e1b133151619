package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.audiences.AudienceFormat;
import dev.speck.audiences.AudienceMember;
import dev.speck.audiences.ExportCounts;
import dev.speck.audiences.ExportOptions;
import dev.speck.audit.AuditTrail;
import dev.speck.customers.Customer;
import dev.speck.customers.CustomerRepository;
import dev.speck.goals.GoalRegistry;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.Pixel;
import dev.speck.segments.Member;
import dev.speck.segments.Segment;
import dev.speck.segments.SegmentChange;
import dev.speck.segments.SegmentJob;
import dev.speck.segments.SegmentJson;
import dev.speck.segments.SegmentStore;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/pixels/{pixel}/segments: a pixel's segments (docs/SEGMENTS.md): rules judged over stored
 * history when made or changed (the backfill) and kept current as hits are stored, static lists of
 * customers, their members (a paginated pull API), sizes over time and entries and exits.
 */
public final class SegmentRoutes {

    /** Segments per account: the benchmark's 200 live segments with room to spare. */
    static final int MAX_SEGMENTS = 500;
    /** Customers named in one list change. */
    static final int MAX_LIST_CHANGE = 100_000;
    static final int MAX_PAGE = 10_000;
    /** Members per export file: a larger segment is exported in several files. */
    static final int MAX_EXPORT = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SegmentStore segments;
    private final SegmentJob job;
    private final GoalRegistry goals;
    private final CustomerRepository customers;
    private final AuditTrail audit;

    public SegmentRoutes(SegmentStore segments, SegmentJob job, GoalRegistry goals, CustomerRepository customers, AuditTrail audit) {
        this.segments = segments;
        this.job = job;
        this.goals = goals;
        this.customers = customers;
        this.audit = audit;
    }

    /** Whether {@code id} names a segment of the pixel (reports take one as a filter). */
    boolean exists(String pixel, String id) {
        Segment s = id.length() > 100 ? null : segments.find(id);
        return s != null && s.pixel().equals(pixel);
    }

    Answer list(Call call, Pixel pixel) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Segment s : segments.all()) {
            if (s.pixel().equals(pixel.id())) {
                Map<String, Object> m = SegmentJson.write(s);
                m.put("size", segments.size(s.id()));
                out.add(m);
            }
        }
        return Answer.ok(Map.of("segments", out));
    }

    /** The segment, its size now, its size at the end of each of the last {@code days} (default 30), its latest changes. */
    Answer get(Call call, Pixel pixel) {
        Segment s = segment(call, pixel);
        int days = Params.integer(call.query("days"), 30, 1, 366, "days");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Object> out = SegmentJson.write(s);
        out.put("size", segments.size(s.id()));
        List<Map<String, Object>> sizes = new ArrayList<>();
        segments.sizes(s.id(), today.minusDays(days - 1L), today)
                .forEach((day, n) -> sizes.add(Map.of("day", day.toString(), "members", n)));
        out.put("sizes", sizes);
        List<Map<String, Object>> changes = new ArrayList<>();
        for (SegmentChange c : segments.changes(s.id(), 20)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("person", c.person());
            m.put("change", c.entered() ? "entered" : "left");
            m.put("at", c.at().toString());
            changes.add(m);
        }
        out.put("changes", changes);
        return Answer.ok(out);
    }

    Answer create(Call call, Pixel pixel) {
        if (segments.all().size() >= MAX_SEGMENTS) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "at most " + MAX_SEGMENTS + " segments");
        }
        Instant now = Instant.now();
        Segment s = read(ApiJson.body(call.exchange()), "sg_" + HexFormat.of().formatHex(bytes()), pixel, now, now);
        job.save(s);
        audit.record(call.requester(), "segment.create", s.id(), details(s));
        Map<String, Object> out = SegmentJson.write(s);
        out.put("size", segments.size(s.id()));
        return Answer.json(HttpResponseStatus.CREATED, out);
    }

    Answer update(Call call, Pixel pixel) {
        Segment old = segment(call, pixel);
        Segment s = read(ApiJson.body(call.exchange()), old.id(), pixel, old.created(), Instant.now());
        if (old.list() != s.list()) {
            throw new BadRequest("a segment's kind cannot change: make a new segment");
        }
        SegmentStore.Changed c = job.save(s);
        audit.record(call.requester(), "segment.update", s.id(), details(s));
        Map<String, Object> out = SegmentJson.write(s);
        out.put("size", segments.size(s.id()));
        out.put("entered", c.entered());
        out.put("left", c.left());
        return Answer.ok(out);
    }

    Answer delete(Call call, Pixel pixel) {
        Segment s = segment(call, pixel);
        segments.delete(s.id());
        audit.record(call.requester(), "segment.delete", s.id(), details(s));
        return Answer.ok(Map.of("deleted", s.id()));
    }

    /**
     * GET …/members?after=&limit=: members in a stable order, a page at a time; {@code next} is the
     * {@code after} of the next page (null on the last).
     */
    Answer members(Call call, Pixel pixel) {
        Segment s = segment(call, pixel);
        int limit = Params.integer(call.query("limit"), 1000, 1, MAX_PAGE, "limit");
        String after = call.query("after");
        List<Member> page = segments.members(s.id(), after, limit);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member m : page) {
            out.add(member(m));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("segment", s.id());
        body.put("members", out);
        body.put("next", page.size() == limit ? page.get(page.size() - 1).person() : null);
        return Answer.ok(body);
    }

    /**
     * GET …/export?format=csv|json|meta|google|linkedin&limit=100000&after=…&country=DE: a file of
     * members (AUDIENCES.md), at most {@code limit} members read per file; a larger segment comes in
     * several files, each answer's Speck-Next-After header is the next file's {@code after}. Customers
     * without consent for marketing are left out (counted in Speck-Export-No-Consent).
     */
    Answer export(Call call, Pixel pixel) {
        Segment s = segment(call, pixel);
        String name = call.query("format") == null ? "csv" : call.query("format");
        AudienceFormat format = AudienceFormat.byWireName(name)
                .orElseThrow(() -> new BadRequest("format is one of " + AudienceFormat.wireNames()));
        int limit = Params.integer(call.query("limit"), MAX_EXPORT, 1, MAX_EXPORT, "limit");
        ExportOptions options;
        try {
            options = call.query("country") == null ? ExportOptions.none() : ExportOptions.defaultCountry(call.query("country"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("country: " + e.getMessage());
        }
        List<AudienceMember> members = new ArrayList<>();
        String after = call.query("after");
        int read = 0;
        int noConsent = 0;
        String last = null;
        while (read < limit) {
            int want = Math.min(MAX_PAGE, limit - read);
            List<Member> page = segments.members(s.id(), after, want);
            for (Member m : page) {
                last = m.person();
                AudienceMember a = AudienceMembers.of(m);
                if (a == null) {
                    noConsent++;
                } else {
                    members.add(a);
                }
            }
            read += page.size();
            if (page.size() < want) {
                last = null; // the segment's last member is in this file
                break;
            }
            after = last;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ExportCounts counts;
        try {
            counts = format.write(members, out, options);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        io.netty.handler.codec.http.HttpHeaders headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
        headers.set("Content-Disposition", "attachment; filename=\"" + s.id() + format.fileSuffix() + "\"");
        headers.set("Speck-Export-Written", counts.written());
        headers.set("Speck-Export-Skipped", counts.skipped());
        headers.set("Speck-Export-No-Consent", noConsent);
        headers.set("Speck-Export-Phones-Left-Out", counts.phonesLeftOut());
        if (last != null) {
            headers.set("Speck-Next-After", last);
        }
        audit.record(call.requester(), "segment.export", s.id(), Map.of("format", format.wireName(), "written", counts.written()));
        return new Answer.Bytes(HttpResponseStatus.OK, format.contentType(), out.toByteArray(), headers);
    }

    static Map<String, Object> member(Member m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("person", m.person());
        Customer k = m.customer();
        if (k != null) {
            out.put("customer", CustomerJson.describe(k));
        } else {
            out.put("visitorId", m.person().startsWith("v:") ? m.person().substring(2) : null);
        }
        out.put("entered", m.entered().toString());
        return out;
    }

    /**
     * POST …/members of a list segment: {"add": [...], "remove": [...]} naming customers by id,
     * external id or email, or a CSV body (text/csv) whose first column names them (a header row is
     * skipped), which adds. Unknown names are reported, not guessed.
     */
    Answer changeList(Call call, Pixel pixel) {
        Segment s = segment(call, pixel);
        if (!s.list()) {
            throw new BadRequest(HttpResponseStatus.CONFLICT, "only a list segment takes members; a rule segment's come from its rule");
        }
        String type = call.exchange().request().headers().get("Content-Type", "");
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        if (type.startsWith("text/csv") || type.startsWith("text/plain")) {
            add.addAll(csvNames(call.exchange().request().content().toString(StandardCharsets.UTF_8)));
        } else {
            JsonNode body = ApiJson.body(call.exchange());
            names(body.get("add"), "add", add);
            names(body.get("remove"), "remove", remove);
        }
        if (add.size() + remove.size() > MAX_LIST_CHANGE) {
            throw new BadRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "at most " + MAX_LIST_CHANGE + " customers per change");
        }
        List<String> unknown = new ArrayList<>();
        List<String> toAdd = resolve(add, unknown);
        List<String> toRemove = resolve(remove, unknown);
        SegmentStore.Changed added = job.changeList(s, toAdd, true);
        SegmentStore.Changed removed = job.changeList(s, toRemove, false);
        audit.record(call.requester(), "segment.members", s.id(), Map.of("added", added.entered(), "removed", removed.left(),
                "unknown", unknown.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("added", added.entered());
        out.put("removed", removed.left());
        out.put("unknown", unknown.size());
        out.put("unknownSample", unknown.subList(0, Math.min(20, unknown.size())).stream().map(ApiJson::truncate).toList());
        out.put("size", segments.size(s.id()));
        return Answer.ok(out);
    }

    private List<String> resolve(List<String> names, List<String> unknown) {
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            Customer k = customers.find(n);
            if (k == null) {
                k = customers.findByReference(n);
            }
            if (k == null) {
                unknown.add(n);
            } else {
                ids.add(k.id());
            }
        }
        return ids;
    }

    private static void names(JsonNode node, String field, List<String> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isArray() || node.size() > MAX_LIST_CHANGE) {
            throw new BadRequest(field + " is a list of at most " + MAX_LIST_CHANGE + " customer ids, external ids or emails");
        }
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 320) {
                throw new BadRequest(field + " holds customer ids, external ids or emails (texts of at most 320 characters)");
            }
            out.add(n.asText().strip());
        }
    }

    /** The first column of each row; a first row that names a column (id, external_id, email) is a header. */
    static List<String> csvNames(String csv) {
        List<String> out = new ArrayList<>();
        String[] lines = csv.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String first = lines[i].split(",", 2)[0].strip();
            if (first.length() >= 2 && first.startsWith("\"") && first.endsWith("\"")) {
                first = first.substring(1, first.length() - 1).replace("\"\"", "\"");
            }
            if (first.isEmpty() || (i == 0 && List.of("id", "external_id", "email", "customer").contains(first.toLowerCase()))) {
                continue;
            }
            if (out.size() >= MAX_LIST_CHANGE) {
                throw new BadRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "at most " + MAX_LIST_CHANGE + " customers per upload");
            }
            out.add(first);
        }
        return out;
    }

    private Segment read(JsonNode body, String id, Pixel pixel, Instant created, Instant now) {
        try {
            return SegmentJson.read(body, id, pixel.id(), created, now, goal -> goals.goal(pixel.id(), goal) != null);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    Segment segment(Call call, Pixel pixel) {
        String id = call.param("segment");
        Segment s = segments.find(id);
        if (s == null || !s.pixel().equals(pixel.id())) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no segment '" + ApiJson.truncate(id) + "' on this pixel");
        }
        return s;
    }

    private static Map<String, Object> details(Segment s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pixel", s.pixel());
        d.put("name", s.name());
        d.put("kind", s.kind());
        if (s.rule() != null) {
            d.put("rule", SegmentJson.write(s).get("rule"));
        }
        return d;
    }

    private static byte[] bytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }
}
