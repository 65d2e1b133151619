package dev.speck.customers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.speck.customers.CustomerFixtures.DESKTOP;
import static dev.speck.customers.CustomerFixtures.PHONE;
import static dev.speck.customers.CustomerFixtures.beacon;
import static dev.speck.customers.CustomerFixtures.json;
import static dev.speck.customers.CustomerFixtures.mentions;
import static dev.speck.customers.CustomerFixtures.ok;
import static dev.speck.customers.CustomerFixtures.profile;
import static dev.speck.customers.CustomerFixtures.siteSigns;
import static dev.speck.customers.CustomerFixtures.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure for good: every table (found through information_schema, so tables added later are
 * scanned too), the visitor rollups, and the journal, including hits not yet loaded when the
 * erasure was asked for. The loader here waits 3 s between polls when idle, so they wait in the journal.
 */
class ErasureIT {

    private static final String TABLET = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private static RunningSpeck speck;
    private static String secret;
    private static Path data;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        data = dir;
        speck = RunningSpeck.start(dir, Map.of("store.poll-interval", "3s", "collect.backfill-token", "backfill-secret"));
        secret = CustomerFixtures.secret(speck);
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
            speck = null; // a static field would keep the closed Speck (and its user-agent parser) in the test JVM's heap
        }
    }

    private static String identify(String path, String id, String pixel) throws Exception {
        return "{\"type\":\"page_view\",\"url\":\"https://shop.example.com" + path + "\",\"title\":\"Page\","
                + "\"identity\":{\"id\":\"" + id + "\",\"sig\":\"" + siteSigns(secret, "identify:" + pixel + ":" + id) + "\"}}";
    }

    @Test
    void erasureLeavesNoRowThatMentionsTheCustomerNotEvenHitsStillInTheJournal() throws Exception {
        String pixel = speck.createPixel("Erasure shop", List.of()).id();
        ok(speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"Purchase\",\"rule\":{\"type\":\"event\",\"name\":\"purchase\"},"
                + "\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\"}", "Content-Type", "application/json"));
        String ada = upsert(speck, "{\"externalId\":\"erase-me-42\",\"email\":\"erase.me@example.com\",\"name\":\"Erasable Person\","
                + "\"aliases\":[\"rcpt-erase-77\"],\"attributes\":{\"plan\":\"gold\"}}").get("id").asText();
        String bob = upsert(speck, "{\"externalId\":\"keep-me-1\",\"email\":\"keep@example.com\"}").get("id").asText();
        long yesterday = System.currentTimeMillis() - 86_400_000L;

        // Yesterday on the laptop (rolled up into visitor_days), today on the phone (a link) and in a mail client.
        HttpResponse<String> old = speck.post("/p/" + pixel + "/events?ts=" + yesterday, identify("/yesterday", "erase-me-42", pixel),
                "Content-Type", "text/plain", "User-Agent", DESKTOP, "X-Speck-Backfill", "backfill-secret");
        assertThat(old.statusCode()).isEqualTo(202);
        beacon(speck, pixel, PHONE, identify("/today", "erase-me-42", pixel).replace("\"type\":\"page_view\"",
                "\"type\":\"goal\",\"name\":\"purchase\",\"value\":49.5,\"currency\":\"EUR\""));
        String code = ok(speck.post("/api/links", "{\"pixel\":\"" + pixel + "\",\"destination\":\"https://shop.example.com/sale\"}",
                "Content-Type", "application/json")).get("code").asText();
        String link = ok(speck.post("/api/links/" + code + "/sign", "{\"recipient\":\"rcpt-erase-77\"}",
                "Content-Type", "application/json")).get("url").asText();
        speck.get(link.substring(link.indexOf("/l/")), "User-Agent", PHONE);
        speck.get("/o/" + pixel + ".gif?m=news&rcpt=rcpt-erase-77", "User-Agent", FIREFOX);
        beacon(speck, pixel, FIREFOX, identify("/bob", "keep-me-1", pixel));
        speck.awaitEvents(pixel, 5);
        speck.app().rollup().runOnce();

        List<String> visitorIds = new ArrayList<>();
        profile(speck, ada).get("identityLinks").forEach(l -> visitorIds.add(l.get("visitorId").asText()));
        assertThat(visitorIds).hasSize(2);
        List<String> needles = new ArrayList<>(List.of(ada, "erase-me-42", "erase.me@example.com", "Erasable Person",
                "rcpt-erase-77", "/journal-only-path"));
        needles.addAll(visitorIds);
        assertThat(mentions(speck, needles)).as("before: the customer is all over the store")
                .contains("events.recipient: rcpt-erase-77", "goal_achievements.visitor_id: " + visitorIds.get(1),
                        "visitor_days.visitor_id: " + visitorIds.get(0), "identity_links.customer_id: " + ada);
        assertThat(journalMentions(List.of("erase-me-42"))).as("before: the journal's files still hold loaded hits").isNotEmpty();

        // A hit from a third device, in the journal and not yet loaded when the erasure is asked for.
        beacon(speck, pixel, TABLET, identify("/journal-only-path", "erase-me-42", pixel));
        HttpResponse<String> erased = speck.request("DELETE", "/api/customers/" + ada, null);

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        JsonNode result = json(erased);
        assertThat(result.get("erasureId").asText()).startsWith("erasure_").doesNotContain(ada);
        assertThat(result.get("deleted").get("events").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(result.toString()).doesNotContain("erase-me-42").doesNotContain("erase.me@example.com");
        // Whatever the journal held then is stored by the time a later hit is.
        String marker = speck.createPixel("Marker", List.of()).id();
        beacon(speck, marker, DESKTOP, "{\"type\":\"page_view\",\"url\":\"https://marker.example.com/\"}");
        speck.awaitEvents(marker, 1);
        assertThat(mentions(speck, needles)).as("after: no table mentions the customer").isEmpty();
        assertThat(journalMentions(needles)).as("after: no journal file holds their hits").isEmpty();
        assertThat(speck.get("/api/customers/" + ada).statusCode()).isEqualTo(404);
        assertThat(profile(speck, bob).get("identityLinks")).as("another customer keeps their data").hasSize(1);
        assertThat(speck.count("SELECT count(*) FROM visible.events WHERE path = '/bob'")).isEqualTo(1);
    }

    @Test
    void aVisitorIdIsExportedAndThenErasedFromEveryTable() throws Exception {
        String pixel = speck.createPixel("Visitor shop", List.of()).id();
        String agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
        beacon(speck, pixel, agent, "{\"type\":\"page_view\",\"url\":\"https://shop.example.com/visitor-page\"}");
        beacon(speck, pixel, agent, "{\"type\":\"event\",\"name\":\"signup\"}");
        String visitor = speck.awaitEvents(pixel, 2).get(0).get("visitor_id").asText();

        JsonNode export = ok(speck.get("/api/visitors/" + visitor + "/export"));
        assertThat(export.get("events")).hasSize(2);
        assertThat(export.get("events").get(0).get("path").asText()).isEqualTo("/visitor-page");

        assertThat(speck.request("DELETE", "/api/visitors/" + visitor, null).statusCode()).isEqualTo(200);

        assertThat(mentions(speck, List.of(visitor, "/visitor-page"))).isEmpty();
        assertThat(ok(speck.get("/api/visitors/" + visitor + "/export")).get("events")).isEmpty();
        assertThat(speck.request("DELETE", "/api/visitors/not%20an%20id", null).statusCode()).isEqualTo(404);
    }

    /** Files under the journal folder that contain any needle's bytes. */
    private static List<String> journalMentions(List<String> needles) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data.resolve("journal"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String n : needles) {
                    if (bytes.contains(new String(n.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                        found.add(f.getFileName() + ": " + n);
                    }
                }
            }
        }
        return found;
    }
}
