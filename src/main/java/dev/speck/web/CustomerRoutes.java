package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.Exchange;
import dev.speck.customers.Customer;
import dev.speck.customers.CustomerData;
import dev.speck.customers.CustomerDraft;
import dev.speck.customers.CustomerImport;
import dev.speck.customers.CustomerRepository;
import dev.speck.customers.Erasure;
import dev.speck.customers.IdentityLink;
import dev.speck.customers.IdentitySigner;
import dev.speck.customers.LandingTokens;
import dev.speck.pixels.PixelRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/customers (search, upsert, CSV import, profile, export, erasure), /api/visitors/{id}
 * (export, erasure) and /api/identity (the secret and signatures for identity claims).
 */
public final class CustomerRoutes {

    static final int MAX_BATCH = 1000;
    static final int MAX_PAGE = 200;

    private final CustomerRepository customers;
    private final CustomerData data;
    private final Erasure erasure;
    private final IdentitySigner signer;
    private final PixelRegistry pixels;
    private final int maxImportRows;
    private final int maxExportEvents;
    private final int landingTokenDays;

    public CustomerRoutes(CustomerRepository customers, CustomerData data, Erasure erasure, IdentitySigner signer,
                          PixelRegistry pixels, int maxImportRows, int maxExportEvents, int landingTokenDays) {
        this.customers = customers;
        this.data = data;
        this.erasure = erasure;
        this.signer = signer;
        this.pixels = pixels;
        this.maxImportRows = maxImportRows;
        this.maxExportEvents = maxExportEvents;
        this.landingTokenDays = landingTokenDays;
    }

    /** True when the path was one of these routes (answered or refused). */
    boolean handle(ChannelHandlerContext ctx, Exchange ex, String[] parts, HttpMethod m) {
        switch (parts[0]) {
            case "customers" -> customers(ctx, ex, parts, m);
            case "visitors" -> visitors(ctx, ex, parts, m);
            case "identity" -> identity(ctx, ex, parts, m);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void customers(ChannelHandlerContext ctx, Exchange ex, String[] parts, HttpMethod m) {
        if (parts.length == 1) {
            if (m == HttpMethod.GET) {
                ApiIo.json(ctx, ex, HttpResponseStatus.OK, search(ex));
            } else if (m == HttpMethod.POST) {
                upsert(ctx, ex);
            } else {
                throw ApiRoutes.BadRequest.method();
            }
            return;
        }
        if (parts.length == 2 && parts[1].equals("import")) {
            if (m != HttpMethod.POST) {
                throw ApiRoutes.BadRequest.method();
            }
            importCsv(ctx, ex);
            return;
        }
        Customer k = customers.find(parts[1]);
        if (k == null) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "no customer '" + ApiRoutes.truncate(parts[1]) + "'");
        }
        String sub = parts.length > 2 ? parts[2] : "";
        if (parts.length > 3) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "no such customer resource");
        }
        if (sub.isEmpty() && m == HttpMethod.GET) {
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, profile(k));
        } else if (sub.equals("events") && m == HttpMethod.GET) {
            int limit = ApiRoutes.integer(ex.param("limit"), 50, 1, 1000, "limit");
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, Map.of("events", data.events(k, limit)));
        } else if (sub.equals("export") && m == HttpMethod.GET) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("exported", Instant.now().toString());
            out.put("customer", describe(k));
            out.put("identityLinks", links(k));
            out.put("profile", data.profile(k));
            out.putAll(data.exportCustomer(k, maxExportEvents));
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, out);
        } else if (sub.isEmpty() && m == HttpMethod.DELETE) {
            erased(ctx, ex, () -> erasure.eraseCustomer(ex.requester(), k));
        } else if (sub.isEmpty() || sub.equals("export") || sub.equals("events")) {
            throw ApiRoutes.BadRequest.method();
        } else {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "no such customer resource: " + ApiRoutes.truncate(sub));
        }
    }

    private void visitors(ChannelHandlerContext ctx, Exchange ex, String[] parts, HttpMethod m) {
        if (parts.length < 2 || parts.length > 3 || !parts[1].matches("[A-Za-z0-9_.:=-]{1,128}")) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "use /api/visitors/{visitorId}/export or DELETE /api/visitors/{visitorId}");
        }
        String visitor = parts[1];
        String sub = parts.length > 2 ? parts[2] : "";
        if (sub.equals("export") && m == HttpMethod.GET) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("exported", Instant.now().toString());
            out.put("visitorId", visitor);
            out.putAll(data.exportVisitor(visitor, maxExportEvents));
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, out);
        } else if (sub.isEmpty() && m == HttpMethod.DELETE) {
            erased(ctx, ex, () -> erasure.eraseVisitor(ex.requester(), visitor));
        } else if (sub.isEmpty() || sub.equals("export")) {
            throw ApiRoutes.BadRequest.method();
        } else {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "no such visitor resource: " + ApiRoutes.truncate(sub));
        }
    }

    private void erased(ChannelHandlerContext ctx, Exchange ex, java.util.function.Supplier<Erasure.Result> erase) {
        try {
            Erasure.Result r = erase.get();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("erased", true);
            out.put("erasureId", r.erasureId());
            out.put("deleted", r.deleted());
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, out);
        } catch (Erasure.LoaderBehind e) {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private void identity(ChannelHandlerContext ctx, Exchange ex, String[] parts, HttpMethod m) {
        if (parts.length == 2 && parts[1].equals("secret") && m == HttpMethod.GET) {
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, Map.of("secret", signer.secret(),
                    "algorithm", "hex(HMAC-SHA256(secret, purpose + \":\" + pixel + \":\" + id))"));
        } else if (parts.length == 2 && parts[1].equals("sign") && m == HttpMethod.POST) {
            ApiIo.json(ctx, ex, HttpResponseStatus.OK, sign(ApiIo.body(ex)));
        } else if (parts.length == 2 && (parts[1].equals("sign") || parts[1].equals("secret"))) {
            throw ApiRoutes.BadRequest.method();
        } else {
            throw new ApiRoutes.BadRequest(HttpResponseStatus.NOT_FOUND, "use POST /api/identity/sign or GET /api/identity/secret");
        }
    }

    private Map<String, Object> sign(JsonNode body) {
        String pixel = text(body, "pixel", 64, true);
        if (pixels.pixel(pixel) == null) {
            throw new ApiRoutes.BadRequest("unknown pixel '" + ApiRoutes.truncate(pixel) + "'");
        }
        String id = text(body, "id", CustomerDraft.MAX_ALIAS, true);
        IdentitySigner.Purpose purpose;
        try {
            purpose = IdentitySigner.Purpose.of(body.hasNonNull("purpose") ? body.get("purpose").asText() : "identify");
        } catch (IllegalArgumentException e) {
            throw new ApiRoutes.BadRequest(e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pixel", pixel);
        out.put("id", id);
        out.put("purpose", purpose.wire());
        if (purpose == IdentitySigner.Purpose.LANDING) {
            int days = body.hasNonNull("days") ? ApiRoutes.integer(body.get("days").asText(), landingTokenDays, 1, 365, "days")
                    : landingTokenDays;
            long expires = Instant.now().getEpochSecond() + days * 86_400L;
            String signature = signer.signLanding(pixel, expires, id);
            out.put("expiresAt", Instant.ofEpochSecond(expires).toString());
            out.put("signature", signature);
            out.put("parameter", LandingTokens.PARAMETER + "=" + ApiRoutes.enc(LandingTokens.token(id, expires, signature)));
        } else {
            out.put("signature", signer.sign(purpose, pixel, id));
        }
        return out;
    }

    private Map<String, Object> search(Exchange ex) {
        String q = ex.param("q");
        if (q != null && q.length() > 200) {
            throw new ApiRoutes.BadRequest("q is longer than 200 characters");
        }
        int limit = ApiRoutes.integer(ex.param("limit"), 50, 1, MAX_PAGE, "limit");
        int offset = ApiRoutes.integer(ex.param("offset"), 0, 0, 1_000_000, "offset");
        List<Customer> page = customers.search(q, offset, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("customers", page.stream().map(CustomerRoutes::describe).toList());
        long total = customers.count(q);
        out.put("total", total);
        if (offset + page.size() < total) {
            out.put("next", "/api/customers?limit=" + limit + "&offset=" + (offset + page.size())
                    + (q == null ? "" : "&q=" + ApiRoutes.enc(q)));
        }
        return out;
    }

    private void upsert(ChannelHandlerContext ctx, Exchange ex) {
        JsonNode body = ApiIo.body(ex);
        List<JsonNode> items = new ArrayList<>();
        if (body.has("customers")) {
            JsonNode list = body.get("customers");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_BATCH) {
                throw new ApiRoutes.BadRequest("customers must be an array of 1 to " + MAX_BATCH + " customers");
            }
            list.forEach(items::add);
        } else {
            items.add(body);
        }
        List<CustomerDraft> drafts = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                drafts.add(draft(items.get(i)));
            } catch (IllegalArgumentException e) {
                if (errors.size() < CustomerImport.MAX_ERRORS_REPORTED) {
                    errors.add(Map.of("index", i, "error", e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            refuse(ctx, ex, "no customer was saved: " + errors.size() + " of " + items.size() + " are invalid", errors);
            return;
        }
        List<CustomerRepository.Upserted> saved;
        try {
            saved = customers.upsert(drafts);
        } catch (IllegalArgumentException e) {
            String[] at = e.getMessage().split(": ", 2);
            refuse(ctx, ex, "no customer was saved: a customer conflicts with another",
                    List.of(Map.of("index", Integer.parseInt(at[0]), "error", at[1])));
            return;
        }
        ApiIo.json(ctx, ex, HttpResponseStatus.OK, outcome(saved, true));
    }

    private void importCsv(ChannelHandlerContext ctx, Exchange ex) {
        String csv = ex.request().content().toString(StandardCharsets.UTF_8);
        if (csv.isBlank()) {
            throw new ApiRoutes.BadRequest("the body must be a CSV file with a header row, e.g. external_id,email,name");
        }
        CustomerImport.Parsed parsed = CustomerImport.parse(csv, maxImportRows);
        if (!parsed.ok()) {
            refuse(ctx, ex, "nothing was imported: " + parsed.badRows() + " bad row(s); fix them and send the file again",
                    parsed.errors().stream().map(e -> Map.<String, Object>of("line", e.line(), "error", e.error())).toList());
            return;
        }
        List<CustomerRepository.Upserted> saved;
        try {
            saved = customers.upsert(parsed.drafts());
        } catch (IllegalArgumentException e) {
            String[] at = e.getMessage().split(": ", 2);
            long line = parsed.lines().get(Integer.parseInt(at[0]));
            refuse(ctx, ex, "nothing was imported: a row conflicts with another customer",
                    List.of(Map.of("line", line, "error", at[1])));
            return;
        }
        ApiIo.json(ctx, ex, HttpResponseStatus.OK, outcome(saved, false));
    }

    private static void refuse(ChannelHandlerContext ctx, Exchange ex, String message, List<Map<String, Object>> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        out.put("errors", errors);
        ApiIo.json(ctx, ex, HttpResponseStatus.BAD_REQUEST, out);
    }

    private static Map<String, Object> outcome(List<CustomerRepository.Upserted> saved, boolean withCustomers) {
        Map<String, Object> out = new LinkedHashMap<>();
        long created = saved.stream().filter(CustomerRepository.Upserted::created).count();
        out.put("imported", saved.size());
        out.put("created", created);
        out.put("updated", saved.size() - created);
        if (withCustomers) {
            out.put("customers", saved.stream().map(u -> describe(u.customer())).toList());
        }
        return out;
    }

    private static CustomerDraft draft(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("a customer must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("externalId", "email", "name", "attributes", "aliases").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + ApiRoutes.truncate(f)
                        + "'; fields are externalId, email, name, attributes, aliases");
            }
        }
        Map<String, String> attributes = null;
        JsonNode a = n.get("attributes");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new IllegalArgumentException("attributes must be an object of strings, numbers or booleans");
            }
            if (a.size() > CustomerDraft.MAX_ATTRIBUTES) {
                throw new IllegalArgumentException("at most " + CustomerDraft.MAX_ATTRIBUTES + " attributes");
            }
            attributes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new IllegalArgumentException("attribute " + ApiRoutes.truncate(e.getKey()) + " must be a string, number or boolean");
                }
                attributes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
        List<String> aliases = null;
        JsonNode al = n.get("aliases");
        if (al != null && !al.isNull()) {
            if (!al.isArray() || al.size() > CustomerDraft.MAX_ALIASES) {
                throw new IllegalArgumentException("aliases must be an array of at most " + CustomerDraft.MAX_ALIASES + " strings");
            }
            aliases = new ArrayList<>();
            for (JsonNode x : al) {
                if (!x.isTextual()) {
                    throw new IllegalArgumentException("aliases must be strings");
                }
                aliases.add(x.asText());
            }
        }
        return new CustomerDraft(field(n, "externalId"), field(n, "email"), field(n, "name"), attributes, aliases);
    }

    private static String field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return v.asText();
    }

    private static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isBlank()) {
            if (required) {
                throw new ApiRoutes.BadRequest(field + " is required (a string)");
            }
            return null;
        }
        if (v.asText().length() > max) {
            throw new ApiRoutes.BadRequest(field + " is longer than " + max + " characters");
        }
        return v.asText();
    }

    private Map<String, Object> profile(Customer k) {
        Map<String, Object> out = new LinkedHashMap<>(describe(k));
        out.put("identityLinks", links(k));
        out.put("profile", data.profile(k));
        return out;
    }

    private List<Map<String, Object>> links(Customer k) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IdentityLink l : customers.links(k.id())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("visitorId", l.visitorId());
            m.put("pixel", l.pixel());
            m.put("source", l.source());
            m.put("firstSeen", l.firstSeen().toString());
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> describe(Customer k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("externalId", k.externalId());
        out.put("email", k.email());
        out.put("name", k.name());
        out.put("attributes", k.attributes());
        out.put("aliases", k.aliases());
        out.put("created", k.created().toString());
        out.put("updated", k.updated().toString());
        return out;
    }
}
