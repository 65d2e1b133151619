package dev.speck.customers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.speck.customers.CustomerFixtures.DESKTOP;
import static dev.speck.customers.CustomerFixtures.PHONE;
import static dev.speck.customers.CustomerFixtures.beacon;
import static dev.speck.customers.CustomerFixtures.json;
import static dev.speck.customers.CustomerFixtures.ok;
import static dev.speck.customers.CustomerFixtures.profile;
import static dev.speck.customers.CustomerFixtures.siteSigns;
import static dev.speck.customers.CustomerFixtures.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/** Customers over the real HTTP API with the real loader and store: recognition, stitching, import, export. */
class CustomersIT {

    private static RunningSpeck speck;
    private static String secret;

    @BeforeAll
    static void start(@TempDir java.nio.file.Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
        secret = CustomerFixtures.secret(speck);
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
            speck = null; // a static field would keep the closed Speck (and its user-agent parser) in the test JVM's heap
        }
    }

    private static String pixel(String name) {
        return speck.createPixel(name, List.of()).id();
    }

    private static String identified(String url, String id, String sig) {
        return "{\"type\":\"page_view\",\"url\":\"" + url + "\",\"identity\":{\"id\":\"" + id + "\""
                + (sig == null ? "" : ",\"sig\":\"" + sig + "\"") + "}}";
    }

    /** A tracked link signed for a recipient, as the email tool sends it; the path and query. */
    private static String signedLink(String pixel, String recipient) throws Exception {
        String code = ok(speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://shop.example.com/sale\"}",
                "Content-Type", "application/json")).get("code").asText();
        String url = ok(speck.post("/api/links/" + code + "/sign", "{\"recipient\":\"" + recipient + "\"}",
                "Content-Type", "application/json")).get("url").asText();
        return url.substring(url.indexOf("/l/"));
    }

    private static JsonNode awaitLinks(String customer, int n) throws Exception {
        JsonNode[] last = new JsonNode[1];
        RunningSpeck.await(() -> {
            try {
                last[0] = profile(speck, customer);
                return last[0].get("identityLinks").size() >= n;
            } catch (Exception e) {
                return false;
            }
        }, "customer " + customer + " to have " + n + " linked visitor ids");
        return last[0];
    }

    @Test
    void customerIdentifiedOnTheLaptopAndRecognisedByASignedEmailLinkOnThePhoneHasOneProfileWithBothDevices() throws Exception {
        String pixel = pixel("Shop");
        String ada = upsert(speck, "{\"externalId\":\"u-1001\",\"email\":\"Ada@Example.com\",\"name\":\"Ada\"}").get("id").asText();

        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/pricing", "u-1001",
                siteSigns(secret, "identify:" + pixel + ":u-1001")));
        HttpResponse<String> click = speck.get(signedLink(pixel, "ada@example.com"), "User-Agent", PHONE);
        assertThat(click.statusCode()).isEqualTo(302);

        JsonNode p = awaitLinks(ada, 2);
        assertThat(p.get("email").asText()).isEqualTo("ada@example.com");
        List<String> sources = new ArrayList<>();
        p.get("identityLinks").forEach(l -> sources.add(l.get("source").asText()));
        assertThat(sources).containsExactlyInAnyOrder("identify", "link_click");
        RunningSpeck.await(() -> {
            try {
                return profile(speck, ada).get("profile").get("devices").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "both devices in the profile");
        JsonNode profile = profile(speck, ada).get("profile");
        Set<String> devices = new HashSet<>();
        profile.get("devices").forEach(d -> devices.add(d.get("deviceClass").asText()));
        assertThat(devices).containsExactlyInAnyOrder("Desktop", "Phone");
        assertThat(profile.get("pages").get(0).get("path").asText()).isEqualTo("/pricing");
        assertThat(profile.get("linkClicks")).hasSize(1);
        assertThat(profile.get("firstSeen").isNull()).isFalse();
    }

    @Test
    void forgedReplayedOrUnsignedClaimsAreRefusedAndLinkNothing() throws Exception {
        String pixel = pixel("Forgery target");
        String other = pixel("Other site");
        String a = upsert(speck, "{\"externalId\":\"cust-a\",\"email\":\"a@example.com\"}").get("id").asText();
        String b = upsert(speck, "{\"externalId\":\"cust-b\",\"email\":\"b@example.com\",\"aliases\":[\"tok-b\"]}").get("id").asText();
        String sigA = siteSigns(secret, "identify:" + pixel + ":cust-a");
        double refusedBefore = speck.metric("speck_customers_refused_claims");

        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/1", "cust-b", sigA)); // A's token as B
        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/2", "cust-a2", sigA)); // tampered id
        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/3", "cust-a",
                siteSigns(secret, "identify:" + other + ":cust-a"))); // signed for another pixel
        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/4", "cust-a", null)); // unsigned
        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/5", "cust-a",
                siteSigns(secret, "open:" + pixel + ":cust-a"))); // signed for another purpose
        long past = Instant.now().getEpochSecond() + 3600;
        String landing = "cust-a." + (past + 1) + "." + siteSigns(secret, "landing:" + pixel + ":" + past + ":cust-a");
        beacon(speck, pixel, DESKTOP, "{\"type\":\"page_view\",\"url\":\"https://shop.example.com/6?speck_id="
                + URLEncoder.encode(landing, StandardCharsets.UTF_8) + "\"}"); // expiry moved
        speck.get("/o/" + pixel + ".gif?m=news&rcpt=tok-b&sig=" + siteSigns(secret, "open:" + pixel + ":a@example.com"),
                "User-Agent", PHONE); // an open signed for A, replayed with B's token
        String link = signedLink(pixel, "a@example.com");
        speck.get(link.replace("rcpt=a%40example.com", "rcpt=b%40example.com"), "User-Agent", PHONE); // link moved to B
        speck.get("/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example.com%2F7&identity=cust-b&sig=" + sigA,
                "User-Agent", DESKTOP); // A's token as B, through the image pixel

        speck.awaitEvents(pixel, 9);
        assertThat(profile(speck, a).get("identityLinks")).isEmpty();
        assertThat(profile(speck, b).get("identityLinks")).isEmpty();
        assertThat(json(speck.get("/api/customers?q=cust-a2")).get("total").asLong()).isZero();
        assertThat(speck.metric("speck_customers_refused_claims") - refusedBefore).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anImageHitCarriesASignedIdentityAsABeaconDoes() throws Exception {
        String pixel = pixel("Image fallback shop");
        String customer = upsert(speck, "{\"externalId\":\"img-1\",\"name\":\"Ira\"}").get("id").asText();

        speck.get("/p/" + pixel + ".gif?u=https%3A%2F%2Fshop.example.com%2Faccount&t=Account&identity=img-1&sig="
                + siteSigns(secret, "identify:" + pixel + ":img-1"), "User-Agent", DESKTOP);

        JsonNode p = awaitLinks(customer, 1);
        assertThat(p.get("identityLinks").get(0).get("source").asText()).isEqualTo("identify");
    }

    @Test
    void signedLandingUrlRecognisesTheVisitorAndLeavesTheStoredUrlWithoutIt() throws Exception {
        String pixel = pixel("Landing");
        String grace = upsert(speck, "{\"externalId\":\"g-7\",\"name\":\"Grace\"}").get("id").asText();
        JsonNode signed = ok(speck.post("/api/identity/sign", "{\"pixel\":\"" + pixel + "\",\"id\":\"g-7\",\"purpose\":\"landing\"}",
                "Content-Type", "application/json"));
        String url = "https://shop.example.com/welcome?utm_source=newsletter&" + signed.get("parameter").asText() + "#top";

        beacon(speck, pixel, PHONE, "{\"type\":\"page_view\",\"url\":\"" + url + "\",\"referrer\":\"" + url + "\"}");

        JsonNode event = speck.awaitEvents(pixel, 1).get(0);
        assertThat(event.get("url").asText()).isEqualTo("https://shop.example.com/welcome?utm_source=newsletter#top");
        assertThat(event.toString()).doesNotContain("speck_id").doesNotContain(signed.get("signature").asText());
        JsonNode p = awaitLinks(grace, 1);
        assertThat(p.get("identityLinks").get(0).get("source").asText()).isEqualTo("landing");
    }

    @Test
    void csvImportUpsertsByExternalIdAndByEmail() throws Exception {
        JsonNode first = ok(speck.post("/api/customers/import",
                "external_id,email,name,plan\ncsv-1,one@example.com,One,free\n,Two@Example.com,Two,pro\n",
                "Content-Type", "text/csv"));
        assertThat(first.get("created").asInt()).isEqualTo(2);

        JsonNode second = ok(speck.post("/api/customers/import",
                "external_id,email,name,plan\ncsv-1,,\"One, renamed\",pro\n,two@example.com,Two B,\n",
                "Content-Type", "text/csv"));

        assertThat(second.get("created").asInt()).isZero();
        assertThat(second.get("updated").asInt()).isEqualTo(2);
        JsonNode one = json(speck.get("/api/customers?q=csv-1")).get("customers").get(0);
        assertThat(one.get("name").asText()).isEqualTo("One, renamed");
        assertThat(one.get("email").asText()).isEqualTo("one@example.com");
        assertThat(one.get("attributes").get("plan").asText()).isEqualTo("pro");
        JsonNode two = json(speck.get("/api/customers?q=two%40example.com")).get("customers").get(0);
        assertThat(two.get("name").asText()).isEqualTo("Two B");
        assertThat(two.get("attributes").get("plan").asText()).as("an empty cell changes nothing").isEqualTo("pro");
    }

    @Test
    void onlyTwoImportBodiesAreCollectedAtOnceBeforeAnyoneIsSignedIn() throws Exception {
        int port = speck.app().port();
        byte[] large = new byte[100_000]; // above the 64 KiB that needs no permit
        java.util.Arrays.fill(large, (byte) 'x');
        // two anonymous uploads that never finish hold both permits for as long as they stay open
        try (java.net.Socket first = startUpload(port); java.net.Socket second = startUpload(port)) {
            // The third goes only once both hold their permits: sent earlier, it could take one
            // itself, and the stalled upload that found none would be refused instead of waiting.
            awaitImportUploads(2, "the two stalled uploads to hold both permits");
            RawHttp.Response third = RawHttp.once(port, "POST", "/api/customers/import", "Content-Type: text/csv\r\n", large);
            assertThat(third.status()).as(third.text()).isEqualTo(503);
            assertThat(third.header("Retry-After")).isEqualTo("5");
            assertThat(third.text()).contains("try again");
            assertThat(speck.metric("speck_customer_import_uploads")).as("the refused one took no permit").isEqualTo(2);
        }
        awaitImportUploads(0, "the permits of the closed uploads to be back");
        // the clients went away: their permits are back, and a real import of that size is taken
        String csv = "external_id,email\n" + bigAttributeRows(3_000);
        assertThat(ok(speck.post("/api/customers/import", csv, "Content-Type", "text/csv")).get("imported").asInt())
                .isEqualTo(3_000);
    }

    private static void awaitImportUploads(int n, String description) throws InterruptedException {
        RunningSpeck.await(() -> {
            try {
                return speck.metric("speck_customer_import_uploads") == n;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, description);
    }

    /** Rows enough to pass 64 KiB. */
    private static String bigAttributeRows(int n) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rows.append("permit-bulk-").append(i).append(",permit-bulk").append(i).append("@example.com\n");
        }
        return rows.toString();
    }

    /** An import request that announces a megabyte and sends only its first bytes. */
    private static java.net.Socket startUpload(int port) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /api/customers/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nexternal_id\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void aCsvOfThousandsOfRowsImportsWhileABodyOverTheImportLimitIs413() throws Exception {
        StringBuilder csv = new StringBuilder("external_id,email,name,plan,city\n");
        for (int i = 0; i < 5000; i++) {
            csv.append("bulk-").append(i).append(",bulk").append(i).append("@example.com,Customer number ")
                    .append(i).append(" of the big list,").append(i % 3 == 0 ? "pro" : "free")
                    .append(",Springfield-on-the-Long-River\n");
        }
        assertThat(csv.length()).as("far above the 64 KiB every other request keeps").isGreaterThan(400_000);

        JsonNode imported = ok(speck.post("/api/customers/import", csv.toString(), "Content-Type", "text/csv"));

        assertThat(imported.get("imported").asInt()).isEqualTo(5000);
        assertThat(imported.get("created").asInt()).isEqualTo(5000);
        assertThat(json(speck.get("/api/customers?q=bulk4999%40example.com")).get("total").asLong()).isEqualTo(1);

        // sent in chunks with no stated length, the same file is taken as well (and updates every row)
        try (RawHttp raw = new RawHttp(speck.app().port())) {
            RawHttp.Response chunked = raw.sendChunked("POST", "/api/customers/import",
                    speck.admin().rawCredentials() + "Content-Type: text/csv\r\n",
                    csv.toString().getBytes(StandardCharsets.UTF_8), 16 * 1024);
            assertThat(chunked.status()).as(chunked.text()).isEqualTo(200);
            assertThat(RunningSpeck.JSON.readTree(chunked.body()).get("updated").asInt()).isEqualTo(5000);
        }

        byte[] tooBig = new byte[8 * 1024 * 1024 + 1];
        java.util.Arrays.fill(tooBig, (byte) 'x');
        HttpResponse<String> refused = speck.admin().request("POST", "/api/customers/import",
                new String(tooBig, StandardCharsets.US_ASCII), "Content-Type", "text/csv");
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(json(refused).get("error").asText()).contains("larger than 8388608 bytes")
                .contains("customers.import-max-bytes");
    }

    @Test
    void csvWithBadRowsImportsNothingAndNamesEachBadLine() throws Exception {
        HttpResponse<String> r = speck.post("/api/customers/import",
                "external_id,email,name\nbad-1,not-an-email,Bad\nbad-2,ten@example.com,Ten\n,,No id\n"
                        + "bad-3,eleven@example.com,Eleven,extra\n", "Content-Type", "text/csv");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).contains("nothing was imported");
        List<Integer> lines = new ArrayList<>();
        body.get("errors").forEach(e -> lines.add(e.get("line").asInt()));
        assertThat(lines).containsExactly(2, 4, 5);
        assertThat(body.get("errors").get(0).get("error").asText()).contains("not an email");
        assertThat(json(speck.get("/api/customers?q=bad-")).get("total").asLong()).as("the good row was not imported either").isZero();

        HttpResponse<String> broken = speck.post("/api/customers/import", "external_id,name\nq-1,\"unclosed\n",
                "Content-Type", "text/csv");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("errors").get(0).get("error").asText()).contains("not valid CSV");

        HttpResponse<String> noKey = speck.post("/api/customers/import", "name,plan\nX,free\n", "Content-Type", "text/csv");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(json(noKey).get("errors").get(0).get("error").asText()).contains("external_id or an email");
    }

    @Test
    void aRowWhoseExternalIdAndEmailBelongToTwoCustomersIsRefusedWithItsLine() throws Exception {
        upsert(speck, "{\"externalId\":\"dup-1\",\"email\":\"dup1@example.com\"}");
        upsert(speck, "{\"externalId\":\"dup-2\",\"email\":\"dup2@example.com\"}");

        HttpResponse<String> r = speck.post("/api/customers/import",
                "external_id,email,name\ndup-3,dup3@example.com,New\ndup-1,dup2@example.com,Clash\n", "Content-Type", "text/csv");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("errors").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(json(speck.get("/api/customers?q=dup-3")).get("total").asLong()).isZero();
    }

    @Test
    void apiRefusesInvalidCustomersWithTheirIndexAndSavesNoneOfTheBatch() throws Exception {
        HttpResponse<String> r = speck.post("/api/customers", "{\"customers\":[{\"externalId\":\"ok-1\"},{\"name\":\"nobody\"},"
                + "{\"externalId\":\"ok-2\",\"attributes\":{\"a b\":\"x\"}}]}", "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(400);
        List<Integer> indexes = new ArrayList<>();
        json(r).get("errors").forEach(e -> indexes.add(e.get("index").asInt()));
        assertThat(indexes).containsExactly(1, 2);
        assertThat(json(speck.get("/api/customers?q=ok-")).get("total").asLong()).isZero();
        assertThat(speck.post("/api/customers", "{\"externalId\":\"" + "x".repeat(200) + "\"}",
                "Content-Type", "application/json").statusCode()).isEqualTo(400);
        assertThat(speck.get("/api/customers/c_nobody").statusCode()).isEqualTo(404);
        assertThat(speck.get("/api/customers?limit=100000").statusCode()).isEqualTo(400);
    }

    @Test
    void exportHoldsTheCustomersEventsAchievementsAndLinks() throws Exception {
        String pixel = pixel("Export");
        String lin = upsert(speck, "{\"externalId\":\"ex-9\",\"email\":\"lin@example.com\",\"aliases\":[\"rcpt-lin\"]}")
                .get("id").asText();
        beacon(speck, pixel, DESKTOP, identified("https://shop.example.com/a", "ex-9", siteSigns(secret, "identify:" + pixel + ":ex-9")));
        speck.get("/o/" + pixel + ".gif?m=welcome&rcpt=rcpt-lin", "User-Agent", PHONE); // unsigned: attributed, not linked
        beacon(speck, pixel, PHONE, "{\"type\":\"page_view\",\"url\":\"https://shop.example.com/someone-else\"}");
        speck.awaitEvents(pixel, 3);

        JsonNode export = ok(speck.get("/api/customers/" + lin + "/export"));

        assertThat(export.get("customer").get("email").asText()).isEqualTo("lin@example.com");
        assertThat(export.get("identityLinks")).hasSize(1);
        List<String> kinds = new ArrayList<>();
        export.get("events").forEach(e -> kinds.add(e.get("kind").asText() + " " + e.path("path").asText("")));
        assertThat(kinds).containsExactlyInAnyOrder("page_view /a", "email_open ");
        assertThat(export.get("eventsTruncated").asBoolean()).isFalse();
        assertThat(export.get("profile").get("emailOpens")).hasSize(1);
    }
}
