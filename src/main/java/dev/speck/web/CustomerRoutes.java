package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.customers.Customer;
import dev.speck.customers.CustomerData;
import dev.speck.customers.CustomerDraft;
import dev.speck.customers.CustomerImport;
import dev.speck.customers.CustomerRepository;
import dev.speck.customers.Erasure;
import dev.speck.customers.IdentityLink;
import dev.speck.customers.IdentitySigner;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Exchange;
import dev.speck.pixels.PixelRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * /api/customers (search, upsert, CSV import, profile, export, erasure) and /api/visitors/{id}
 * (export, erasure); /api/identity is {@link IdentityRoutes}.
 */
public final class CustomerRoutes {

    static final int MAX_BATCH = 1000;
    static final int MAX_PAGE = 200;

    private final CustomerRepository customers;
    private final CustomerData data;
    private final Erasure erasure;
    private final IdentityRoutes identity;
    private final int maxImportRows;
    private final int maxExportEvents;

    public CustomerRoutes(CustomerRepository customers, CustomerData data, Erasure erasure, IdentitySigner signer,
                          PixelRegistry pixels, int maxImportRows, int maxExportEvents, int landingTokenDays) {
        this.customers = customers;
        this.data = data;
        this.erasure = erasure;
        this.identity = new IdentityRoutes(signer, pixels, landingTokenDays);
        this.maxImportRows = maxImportRows;
        this.maxExportEvents = maxExportEvents;
    }

    /** The identity routes, which sign with the same customers' secret. */
    IdentityRoutes identity() {
        return identity;
    }

    /** GET /api/customers: search, a page at a time. */
    Answer search(Call call) {
        return Answer.ok(search(call.exchange()));
    }

    Answer profile(Call call) {
        return Answer.ok(profile(customer(call)));
    }

    Answer events(Call call) {
        Customer k = customer(call);
        int limit = Params.integer(call.query("limit"), 50, 1, 1000, "limit");
        return Answer.ok(Map.of("events", data.events(k, limit)));
    }

    /** GET /api/customers/{id}/export: all Speck holds about the customer (a data-access request). */
    Answer export(Call call) {
        Customer k = customer(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exported", Instant.now().toString());
        out.put("customer", CustomerJson.describe(k));
        out.put("identityLinks", links(k));
        out.put("profile", data.profile(k));
        out.putAll(data.exportCustomer(k, maxExportEvents));
        return Answer.ok(out);
    }

    Answer erase(Call call) {
        Customer k = customer(call);
        return erased(() -> erasure.eraseCustomer(call.requester(), k));
    }

    private Customer customer(Call call) {
        String id = call.param("id");
        Customer k = customers.find(id);
        if (k == null) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no customer '" + ApiJson.truncate(id) + "'");
        }
        return k;
    }

    /** GET /api/visitors/{visitor}/export: what is stored about one visitor id. */
    Answer exportVisitor(Call call) {
        String visitor = visitor(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exported", Instant.now().toString());
        out.put("visitorId", visitor);
        out.putAll(data.exportVisitor(visitor, maxExportEvents));
        return Answer.ok(out);
    }

    Answer eraseVisitor(Call call) {
        String visitor = visitor(call);
        return erased(() -> erasure.eraseVisitor(call.requester(), visitor));
    }

    private static String visitor(Call call) {
        String visitor = call.param("visitor");
        if (!visitor.matches("[A-Za-z0-9_.:=-]{1,128}")) {
            throw new BadRequest(HttpResponseStatus.NOT_FOUND, "use /api/visitors/{visitorId}/export or DELETE /api/visitors/{visitorId}");
        }
        return visitor;
    }

    private static Answer erased(Supplier<Erasure.Result> erase) {
        try {
            Erasure.Result r = erase.get();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("erased", true);
            out.put("erasureId", r.erasureId());
            out.put("deleted", r.deleted());
            return Answer.ok(out);
        } catch (Erasure.LoaderBehind e) {
            throw new BadRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private Map<String, Object> search(Exchange ex) {
        String q = ex.param("q");
        if (q != null && q.length() > 200) {
            throw new BadRequest("q is longer than 200 characters");
        }
        int limit = Params.integer(ex.param("limit"), 50, 1, MAX_PAGE, "limit");
        int offset = Params.integer(ex.param("offset"), 0, 0, 1_000_000, "offset");
        List<Customer> page = customers.search(q, offset, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("customers", page.stream().map(CustomerJson::describe).toList());
        long total = customers.count(q);
        out.put("total", total);
        if (offset + page.size() < total) {
            out.put("next", "/api/customers?limit=" + limit + "&offset=" + (offset + page.size())
                    + (q == null ? "" : "&q=" + Params.enc(q)));
        }
        return out;
    }

    /** POST /api/customers: one customer or a batch, all saved or none. */
    Answer upsert(Call call) {
        JsonNode body = ApiJson.body(call.exchange());
        List<JsonNode> items = new ArrayList<>();
        if (body.has("customers")) {
            JsonNode list = body.get("customers");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_BATCH) {
                throw new BadRequest("customers must be an array of 1 to " + MAX_BATCH + " customers");
            }
            list.forEach(items::add);
        } else {
            items.add(body);
        }
        List<CustomerDraft> drafts = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                drafts.add(CustomerJson.draft(items.get(i)));
            } catch (IllegalArgumentException e) {
                if (errors.size() < CustomerImport.MAX_ERRORS_REPORTED) {
                    errors.add(Map.of("index", i, "error", e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            return refuse("no customer was saved: " + errors.size() + " of " + items.size() + " are invalid", errors);
        }
        List<CustomerRepository.Upserted> saved;
        try {
            saved = customers.upsert(drafts);
        } catch (IllegalArgumentException e) {
            String[] at = e.getMessage().split(": ", 2);
            return refuse("no customer was saved: a customer conflicts with another",
                    List.of(Map.of("index", Integer.parseInt(at[0]), "error", at[1])));
        }
        return Answer.ok(outcome(saved, true));
    }

    /** POST /api/customers/import: a CSV file, all rows imported or none. */
    Answer importCsv(Call call) {
        String csv = call.exchange().request().content().toString(StandardCharsets.UTF_8);
        if (csv.isBlank()) {
            throw new BadRequest("the body must be a CSV file with a header row, e.g. external_id,email,name");
        }
        CustomerImport.Parsed parsed = CustomerImport.parse(csv, maxImportRows);
        if (!parsed.ok()) {
            return refuse("nothing was imported: " + parsed.badRows() + " bad row(s); fix them and send the file again",
                    parsed.errors().stream().map(e -> Map.<String, Object>of("line", e.line(), "error", e.error())).toList());
        }
        List<CustomerRepository.Upserted> saved;
        try {
            saved = customers.upsert(parsed.drafts());
        } catch (IllegalArgumentException e) {
            String[] at = e.getMessage().split(": ", 2);
            long line = parsed.lines().get(Integer.parseInt(at[0]));
            return refuse("nothing was imported: a row conflicts with another customer",
                    List.of(Map.of("line", line, "error", at[1])));
        }
        return Answer.ok(outcome(saved, false));
    }

    private static Answer refuse(String message, List<Map<String, Object>> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        out.put("errors", errors);
        return Answer.json(HttpResponseStatus.BAD_REQUEST, out);
    }

    private static Map<String, Object> outcome(List<CustomerRepository.Upserted> saved, boolean withCustomers) {
        Map<String, Object> out = new LinkedHashMap<>();
        long created = saved.stream().filter(CustomerRepository.Upserted::created).count();
        out.put("imported", saved.size());
        out.put("created", created);
        out.put("updated", saved.size() - created);
        if (withCustomers) {
            out.put("customers", saved.stream().map(u -> CustomerJson.describe(u.customer())).toList());
        }
        return out;
    }

    private Map<String, Object> profile(Customer k) {
        Map<String, Object> out = new LinkedHashMap<>(CustomerJson.describe(k));
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
}
