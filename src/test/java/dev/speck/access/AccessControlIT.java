package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route against every kind of caller: anonymous, each role, a read and a write key for all
 * pixels, a write key for pixel A only, and one for another pixel (B). The expected outcomes are
 * written out by hand below, one letter per caller, not derived from the route table; and every
 * route the table or the OpenAPI description knows must be in this list.
 */
class AccessControlIT {

    /** The callers, in the order of the letters in each route's expectation. */
    enum Caller { ANONYMOUS, VIEWER, EDITOR, ADMIN, READ_KEY, WRITE_KEY, OWN_PIXEL_KEY, OTHER_PIXEL_KEY }

    /**
     * A route to try: {A} is pixel A, {D} a pixel made just for that request (deletion), {G} a goal of
     * A, {L} a link of A. {@code expect} has one letter per caller: Y passes the guard (the route
     * then answers whatever it answers, never 401 or 403), N is refused (401 or 403).
     */
    record Route(String method, String path, String body, String expect) {
    }

    // Bodies are chosen so that a request that passes changes nothing (the route refuses its content).
    static final List<Route> ROUTES = List.of(
            //                                                                   anon view edit admn read wrte ownk othk
            new Route("GET", "/", null, "YYYYYYYY"),
            new Route("GET", "/healthz", null, "YYYYYYYY"),
            new Route("GET", "/console", null, "YYYYYYYY"),
            new Route("GET", "/console/", null, "YYYYYYYY"),
            new Route("GET", "/console/app.js", null, "YYYYYYYY"),
            new Route("GET", "/privacy/opt-out", null, "YYYYYYYY"),
            new Route("POST", "/privacy/opt-out", "{}", "YYYYYYYY"),
            new Route("GET", "/api/openapi.json", null, "YYYYYYYY"),
            new Route("GET", "/api/server", null, "YYYYYYYY"),
            new Route("GET", "/metrics", null, "NYYYYYYY"),
            new Route("POST", "/api/session", "{}", "YYYYYYYY"),
            new Route("GET", "/api/session", null, "NYYYNNNN"),
            new Route("PUT", "/api/session/password", "{}", "NYYYNNNN"),
            new Route("GET", "/api/users", null, "NNNYNNNN"),
            new Route("POST", "/api/users", "{}", "NNNYNNNN"),
            new Route("PATCH", "/api/users/nobody", "{\"role\":\"viewer\"}", "NNNYNNNN"),
            new Route("DELETE", "/api/users/nobody", null, "NNNYNNNN"),
            new Route("GET", "/api/keys", null, "NNNYNNNN"),
            new Route("POST", "/api/keys", "{}", "NNNYNNNN"),
            new Route("DELETE", "/api/keys/nokey", null, "NNNYNNNN"),
            new Route("GET", "/api/audit", null, "NNNYNNNN"),
            new Route("GET", "/api/traffic/rules", null, "NNNYNNNN"),
            new Route("POST", "/api/traffic/rules", "{}", "NNNYNNNN"),
            new Route("DELETE", "/api/traffic/rules/nokey", null, "NNNYNNNN"), // no such rule: 404 once past
            new Route("GET", "/api/settings", null, "NYYYNNNN"),
            new Route("PUT", "/api/settings", "{}", "NNNYNNNN"),
            new Route("GET", "/api/pixels", null, "NYYYYYYY"),
            new Route("POST", "/api/pixels", "{}", "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}", null, "NYYYYYYN"),
            new Route("PATCH", "/api/pixels/{A}", "{\"goals\":[]}", "NNYYNYYN"),
            new Route("DELETE", "/api/pixels/{D}", null, "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}/stats", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/events", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/hours", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/goals", null, "NYYYYYYN"),
            new Route("POST", "/api/pixels/{A}/goals", "{}", "NNYYNYYN"),
            new Route("GET", "/api/pixels/{A}/goals/{G}", null, "NYYYYYYN"),
            new Route("PUT", "/api/pixels/{A}/goals/{G}", "{}", "NNYYNYYN"),
            new Route("DELETE", "/api/pixels/{A}/goals/nosuchgoal", null, "NNYYNYYN"),
            new Route("PATCH", "/api/pixels/{A}/goals/{G}", "{}", "NNYYNYYN"), // no such method: 405 once past
            new Route("GET", "/api/pixels/{A}/report", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/report/breakdown?dimension=channel", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/report/attribution?goal={G}", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/live", null, "NYYYYYYN"),
            new Route("GET", "/api/pixels/{A}/health", null, "NYYYYYYN"),
            new Route("POST", "/api/pixels/{A}/test", "{}", "NNYYNYYN"),
            // triggers send what a pixel saw elsewhere: viewers read them, the account's editors change them
            new Route("GET", "/api/pixels/{A}/triggers", null, "NYYYYYYN"),
            new Route("POST", "/api/pixels/{A}/triggers", "{}", "NNYYNYNN"),
            new Route("POST", "/api/pixels/{A}/triggers/dry-run", "{}", "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}/triggers/notrigger", null, "NYYYYYYN"), // no such trigger: 404 once past
            new Route("PUT", "/api/pixels/{A}/triggers/notrigger", "{}", "NNYYNYNN"),
            new Route("DELETE", "/api/pixels/{A}/triggers/notrigger", null, "NNYYNYNN"),
            new Route("POST", "/api/pixels/{A}/triggers/notrigger/test", "{}", "NNYYNYNN"), // send test
            // segments as triggers; their members name customers, so reading them is as reading customers
            new Route("GET", "/api/pixels/{A}/segments", null, "NYYYYYYN"),
            new Route("POST", "/api/pixels/{A}/segments", "{}", "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}/segments/nosegment", null, "NYYYYYYN"),
            new Route("PUT", "/api/pixels/{A}/segments/nosegment", "{}", "NNYYNYNN"),
            new Route("DELETE", "/api/pixels/{A}/segments/nosegment", null, "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}/segments/nosegment/members", null, "NNYYYYNN"),
            new Route("POST", "/api/pixels/{A}/segments/nosegment/members", "{}", "NNYYNYNN"),
            new Route("GET", "/api/pixels/{A}/segments/nosegment/export", null, "NNYYYYNN"),
            // a path under a pixel that names no resource: its method's access, then 404
            new Route("GET", "/api/pixels/{A}/no-such-resource", null, "NYYYYYYN"),
            new Route("POST", "/api/pixels/{A}/no-such-resource", "{}", "NNYYNYYN"),
            new Route("PUT", "/api/pixels/{A}/no-such-resource", "{}", "NNYYNYYN"),
            new Route("DELETE", "/api/pixels/{A}/no-such-resource", null, "NNYYNYYN"),
            new Route("GET", "/api/links", null, "NYYYYYYY"),
            new Route("GET", "/api/links?pixel={A}", null, "NYYYYYYN"),
            new Route("POST", "/api/links", "{\"pixel\":\"{A}\"}", "NNYYNYYN"),
            new Route("POST", "/api/links/{L}/sign", "{}", "NNYYNYYN"),
            new Route("GET", "/api/customers", null, "NNYYYYNN"),
            new Route("POST", "/api/customers", "{}", "NNYYNYNN"),
            new Route("POST", "/api/customers/import", "{}", "NNYYNYNN"),
            new Route("GET", "/api/customers/c1", null, "NNYYYYNN"),
            new Route("GET", "/api/customers/c1/export", null, "NNNYNNNN"),
            new Route("GET", "/api/customers/c1/events", null, "NNYYYYNN"),
            new Route("DELETE", "/api/customers/c1", null, "NNNYNNNN"),
            new Route("GET", "/api/visitors/v1/export", null, "NNNYNNNN"),
            new Route("DELETE", "/api/visitors/v1", null, "NNNYNNNN"),
            new Route("POST", "/api/identity/sign", "{}", "NNYYNYNN"),
            new Route("GET", "/api/identity/secret", null, "NNNYNNNN"),
            new Route("GET", "/api/deliveries", null, "NNYYYYNN"),
            new Route("GET", "/api/deliveries/nokey", null, "NNYYYYNN"),
            new Route("POST", "/api/deliveries/nokey/redeliver", "{}", "NNYYNYNN"),
            new Route("GET", "/api/dead-letters", null, "NNYYYYNN"),
            new Route("GET", "/api/delivery-secret", null, "NNNYNNNN"),
            new Route("GET", "/api/no-such-route", null, "NNNNNNNN"),
            new Route("DELETE", "/api/session", null, "NYYYNNNN")); // last: it signs the sessions out

    private static RunningSpeck speck;
    private static Pixel a;
    private static String goal;
    private static String link;
    private static final Map<Caller, RunningSpeck.Client> clients = new EnumMap<>(Caller.class);

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
        a = speck.createPixel("A", List.of());
        Pixel b = speck.createPixel("B", List.of());
        HttpResponseAssert created = new HttpResponseAssert(speck.post("/api/pixels/" + a.id() + "/goals",
                "{\"name\":\"Signup\",\"rule\":{\"type\":\"event\",\"name\":\"signup\"}}"));
        goal = created.json().get("id").asText();
        link = speck.app().pixels().createLink(a.id(), "https://shop.example/", null).code();
        clients.put(Caller.ANONYMOUS, speck.anonymous());
        clients.put(Caller.VIEWER, speck.as(Role.VIEWER));
        clients.put(Caller.EDITOR, speck.as(Role.EDITOR));
        clients.put(Caller.ADMIN, speck.as(Role.ADMIN));
        clients.put(Caller.READ_KEY, speck.withKey(speck.createKey(KeyScope.READ)));
        clients.put(Caller.WRITE_KEY, speck.withKey(speck.createKey(KeyScope.WRITE)));
        clients.put(Caller.OWN_PIXEL_KEY, speck.withKey(speck.createKey(KeyScope.WRITE, a.id())));
        clients.put(Caller.OTHER_PIXEL_KEY, speck.withKey(speck.createKey(KeyScope.WRITE, b.id())));
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
        }
    }

    @Test
    void everyCallerGetsExactlyTheRoutesItShould() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Route route : ROUTES) {
            assertThat(route.expect()).as(route.path()).hasSize(Caller.values().length);
            for (Caller caller : Caller.values()) {
                String path = concrete(route.path());
                String body = route.body() == null ? null : concrete(route.body());
                int status = clients.get(caller).status(route.method(), path, body, "Content-Type", "application/json");
                boolean passed = status != 401 && status != 403;
                boolean expected = route.expect().charAt(caller.ordinal()) == 'Y';
                if (passed != expected) {
                    wrong.add(caller + " " + route.method() + " " + path + " -> " + status + " (expected "
                            + (expected ? "to pass" : "401/403") + ")");
                }
                if (!passed && caller == Caller.ANONYMOUS && route.path().startsWith("/api/")
                        && !route.path().startsWith("/api/no-such") && !route.path().contains("..")) {
                    if (status != 401) {
                        wrong.add("ANONYMOUS " + route.method() + " " + path + " -> " + status + " (expected 401)");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** The route table the running guard reads (web/Routes): every route in it is tried above. */
    @Test
    void everyRouteOfTheTableIsTried() {
        AccessPolicy policy = speck.app().access().policy();
        Set<dev.speck.access.Route> tried = new LinkedHashSet<>();
        for (Route r : ROUTES) {
            AccessPolicy.Match m = policy.match(r.method(), stripQuery(concreteIds(r.path())));
            if (m != null) {
                tried.add(m.route());
            }
        }
        List<dev.speck.access.Route> untried = new ArrayList<>(policy.routes());
        untried.removeAll(tried);
        assertThat(untried).as("routes of the table that no request of this test tries").isEmpty();
    }

    @Test
    void everyRouteTheApiDescribesIsTried() throws Exception {
        JsonNode paths;
        try (InputStream in = AccessControlIT.class.getResourceAsStream("/dev/speck/web/openapi.json")) {
            paths = RunningSpeck.JSON.readTree(in).get("paths");
        }
        Set<String> tried = new LinkedHashSet<>();
        for (Route r : ROUTES) {
            tried.add(r.method() + " " + shape(stripQuery(r.path())));
        }
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    String key = method + " " + shape(path.getKey());
                    if (!tried.contains(key)) {
                        missing.add(key);
                    }
                }
            }
        }
        assertThat(missing).as("routes in openapi.json that this test does not try").isEmpty();
    }

    /**
     * A method the policy does not have for a path it knows is 405, with the methods it does have,
     * to every caller alike and before sign-in; a path no rule knows stays 403 under /api/.
     */
    @Test
    void aMethodAKnownPathLacksIs405NamingTheMethodsItHas() throws Exception {
        for (Caller caller : Caller.values()) {
            RunningSpeck.Client client = clients.get(caller);
            HttpResponse<String> post = client.request("POST", "/api/settings", "{}", "Content-Type", "application/json");
            assertThat(post.statusCode()).as(caller.name()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).as(caller.name()).hasValue("GET, HEAD, PUT, OPTIONS");
            assertThat(RunningSpeck.JSON.readTree(post.body()).path("error").asText()).contains("PUT");

            HttpResponse<String> options = client.request("OPTIONS", "/api/pixels/" + a.id() + "/goals/" + goal, null);
            assertThat(options.statusCode()).as(caller.name()).isEqualTo(200);
            assertThat(options.headers().firstValue("Allow")).as(caller.name())
                    .hasValue("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        }
        HttpResponse<String> page = speck.anonymous().request("PUT", "/console/app.js", "x");
        assertThat(page.statusCode()).isEqualTo(405);
        assertThat(page.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(speck.anonymous().status("POST", "/api/no-such-route", "{}")).isEqualTo(403);
        assertThat(speck.anonymous().status("OPTIONS", "/api/no-such-route", null)).isEqualTo(403);
        assertThat(speck.anonymous().status("POST", "/no-such-page", "{}")).isEqualTo(404);
    }

    /** HEAD asks about a GET route: the same guard and headers, no body. */
    @Test
    void headAnswersAsGetWithoutTheBodyAndNeedsTheSameAccess() throws Exception {
        RunningSpeck.Client key = clients.get(Caller.READ_KEY);
        HttpResponse<String> get = key.get("/api/pixels/" + a.id());
        HttpResponse<String> head = key.request("HEAD", "/api/pixels/" + a.id(), null);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(get.body().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(clients.get(Caller.OTHER_PIXEL_KEY).status("HEAD", "/api/pixels/" + a.id(), null)).isEqualTo(403);
        assertThat(speck.anonymous().status("HEAD", "/api/settings", null)).isEqualTo(401);
        assertThat(speck.anonymous().status("HEAD", "/healthz", null)).isEqualTo(200);
    }

    /** A pixel list shows only the pixels a key covers. */
    @Test
    void aKeyForOnePixelListsOnlyThatPixel() throws Exception {
        JsonNode list = RunningSpeck.JSON.readTree(clients.get(Caller.OWN_PIXEL_KEY).get("/api/pixels").body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(a.id());
        JsonNode links = RunningSpeck.JSON.readTree(clients.get(Caller.OTHER_PIXEL_KEY).get("/api/links").body());
        assertThat(links).isEmpty();
    }

    /** Path parameters become {} so that {id} here and {pixel} there compare equal. */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}/]*}", "{}").replaceAll("/nobody|/nokey|/nosuchgoal|/notrigger|/nosegment|/c1|/v1", "/{}");
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String concreteIds(String template) {
        return template.replace("{A}", a.id()).replace("{D}", "some-pixel").replace("{G}", goal).replace("{L}", link);
    }

    private static String concrete(String template) {
        String s = template;
        if (s.contains("{D}")) {
            s = s.replace("{D}", speck.createPixel("doomed", List.of()).id());
        }
        return s.replace("{A}", a.id()).replace("{G}", goal).replace("{L}", link);
    }

    /** A response with its body read as JSON, failing with the body when the status is not 2xx. */
    private record HttpResponseAssert(java.net.http.HttpResponse<String> response) {
        JsonNode json() throws Exception {
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
            return RunningSpeck.JSON.readTree(response.body());
        }
    }
}
