package dev.speck.web;

import dev.speck.testing.RawHttp;
import dev.speck.testing.RunningSpeck;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.speck.testing.RunningSpeck.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values over real HTTP: a value below zero stands only on a goal that takes refunds, and money is
 * exact and written plainly from the hit to the report's JSON and CSV.
 */
class ValuesIT {

    @TempDir
    static Path dataDir;
    private static RunningSpeck speck;
    /** A number in scientific notation: as a JSON value, or as a whole CSV field. */
    private static final String JSON_EXPONENT = ":-?[0-9.]+[eE][0-9+-]";
    private static final String CSV_EXPONENT = "(^|,)-?[0-9.]+[eE][+-]?[0-9]+(,|\\r|$)";

    @BeforeAll
    static void startSpeck() throws Exception {
        speck = RunningSpeck.start(dataDir, Map.of());
        speck.awaitLoaderWarm();
    }

    @AfterAll
    static void stopSpeck() {
        speck.close();
    }

    @Test
    void aNegativeValueIsRefusedOnAGoalWithoutRefundsAndKeptOnOneWithThem() throws Exception {
        String pixel = speck.createPixel("refunds", List.of()).id();
        JsonNode purchase = goal(pixel, "{\"name\":\"Purchase\",\"rule\":{\"type\":\"event\",\"name\":\"purchase\"},"
                + "\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\"}");
        JsonNode refund = goal(pixel, "{\"name\":\"Refund\",\"rule\":{\"type\":\"event\",\"name\":\"refund\"},"
                + "\"value\":{\"type\":\"from_hit\"},\"currency\":\"EUR\",\"allowNegative\":true}");
        assertThat(purchase.get("allowNegative").asBoolean()).isFalse();
        assertThat(refund.get("allowNegative").asBoolean()).isTrue();
        assertThat(refund.get("value").get("min").decimalValue()).isEqualByComparingTo("-1000000000000");

        double malformed = speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}");
        double dropped = dropped("value", "negative");
        gif("/p/" + pixel + ".gif?k=goal&n=purchase&v=-20&cur=EUR&p.id=refused");
        gif("/p/" + pixel + ".gif?k=goal&n=refund&v=-19.99&cur=EUR&p.id=refund");
        gif("/p/" + pixel + ".gif?k=event&n=other&v=-3&p.id=event");
        RawHttp.Response beacon = RawHttp.once(speck.app().port(), "POST", "/p/" + pixel + "/events",
                BROWSER + "Content-Type: text/plain\r\n",
                "{\"type\":\"goal\",\"name\":\"purchase\",\"value\":-1,\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8));
        gif("/p/" + pixel + ".gif?k=goal&n=purchase&v=20&cur=EUR&p.id=purchase");

        assertThat(beacon.status()).isEqualTo(400);
        assertThat(JSON.readTree(beacon.body()).get("error").asText())
                .isEqualTo("value -1 is below zero, and no goal this hit meets takes refunds (allowNegative)");
        List<JsonNode> events = speck.awaitEvents(pixel, 3);
        RunningSpeck.await(() -> count(pixel, "TRUE") == 3, "the three kept hits to be stored");
        assertThat(count(pixel, "props['id'] = 'refused'")).isZero();
        assertThat(count(pixel, "props['id'] = 'refund' AND value = -19.99")).isEqualTo(1);
        assertThat(count(pixel, "props['id'] = 'event' AND value IS NULL")).isEqualTo(1);
        assertThat(speck.metric("speck_hits_rejected_total{reason=\"malformed_request\"}")).isEqualTo(malformed + 2);
        assertThat(dropped("value", "negative")).isEqualTo(dropped + 1);
        assertThat(events).hasSize(3);

        JsonNode report = JSON.readTree(speck.get("/api/pixels/" + pixel + "/report?from=" + yesterday() + "&to=" + today()).body());
        for (JsonNode g : report.get("goals")) {
            BigDecimal total = g.get("totalValue").decimalValue();
            if (g.get("goal").asText().equals(refund.get("id").asText())) {
                assertThat(total).isEqualByComparingTo("-19.99");
            } else if (g.get("goal").asText().equals(purchase.get("id").asText())) {
                assertThat(total).isEqualByComparingTo("20");
            }
        }
    }

    @Test
    void aGoalDefinitionWithANegativeAmountNeedsAllowNegative() throws Exception {
        String pixel = speck.createPixel("negative amounts", List.of()).id();
        HttpResponse<String> fixed = speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"Chargeback\","
                + "\"rule\":{\"type\":\"event\",\"name\":\"chargeback\"},\"value\":{\"type\":\"fixed\",\"amount\":-5}}",
                "Content-Type", "application/json");
        HttpResponse<String> notBoolean = speck.post("/api/pixels/" + pixel + "/goals", "{\"name\":\"X\","
                + "\"rule\":{\"type\":\"event\",\"name\":\"x\"},\"allowNegative\":\"yes\"}", "Content-Type", "application/json");

        assertThat(fixed.statusCode()).isEqualTo(400);
        assertThat(fixed.body()).contains("allowNegative");
        assertThat(notBoolean.statusCode()).isEqualTo(400);
        assertThat(goal(pixel, "{\"name\":\"Chargeback\",\"rule\":{\"type\":\"event\",\"name\":\"chargeback\"},"
                + "\"value\":{\"type\":\"fixed\",\"amount\":-5},\"allowNegative\":true}").get("value").get("amount").asText())
                .isEqualTo("-5");
    }

    @Test
    void aTotalIsExactAndPlainInTheReportsJsonAndCsvAndTheEventsCsv() throws Exception {
        String pixel = speck.createPixel("plain totals", List.of()).id();
        goal(pixel, "{\"name\":\"Big\",\"rule\":{\"type\":\"event\",\"name\":\"big\"},\"value\":{\"type\":\"from_hit\"}}");
        goal(pixel, "{\"name\":\"Small\",\"rule\":{\"type\":\"event\",\"name\":\"small\"},\"value\":{\"type\":\"from_hit\"}}");
        gif("/p/" + pixel + ".gif?k=goal&n=big&v=999999999999.93&p.id=b1");
        gif("/p/" + pixel + ".gif?k=goal&n=big&v=0.01&p.id=b2");
        gif("/p/" + pixel + ".gif?k=goal&n=small&v=0.1&p.id=s1");
        RawHttp.Response beacon = RawHttp.once(speck.app().port(), "POST", "/p/" + pixel + "/events",
                BROWSER + "Content-Type: text/plain\r\n",
                "{\"type\":\"goal\",\"name\":\"small\",\"value\":0.2,\"props\":{\"id\":\"s2\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(beacon.status()).isEqualTo(202);
        RunningSpeck.await(() -> count(pixel, "TRUE") == 4, "the four goal hits to be stored");

        String q = "/api/pixels/" + pixel + "/report?from=" + yesterday() + "&to=" + today();
        String json = speck.get(q).body();
        String csv = speck.get(q + "&format=csv").body();
        String events = speck.get("/api/pixels/" + pixel + "/events?format=csv").body();
        String eventsJson = speck.get("/api/pixels/" + pixel + "/events").body();

        assertThat(json).contains("\"totalValue\":999999999999.94", "\"totalValue\":0.3", "\"averageValue\":499999999999.97",
                "\"averageValue\":0.15").doesNotContainPattern(JSON_EXPONENT);
        assertThat(csv).contains(",999999999999.94,", ",0.3,").doesNotContainPattern(CSV_EXPONENT)
                .doesNotContain("0.30000000000000004");
        assertThat(events).contains(",999999999999.93,").doesNotContainPattern(CSV_EXPONENT);
        assertThat(eventsJson).contains("\"value\":999999999999.93").doesNotContainPattern(JSON_EXPONENT);
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode goal(String pixel, String body) throws Exception {
        HttpResponse<String> r = speck.post("/api/pixels/" + pixel + "/goals", body, "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** A person's browser: a hit without a user agent is set apart from the report (see TRAFFIC.md). */
    private static final String BROWSER = "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n";

    private static void gif(String target) throws Exception {
        RawHttp.Response r = RawHttp.once(speck.app().port(), "GET", target, BROWSER, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/gif");
    }

    private static long count(String pixel, String condition) {
        try {
            return speck.count("SELECT count(*) FROM visible.events WHERE pixel = '" + pixel + "' AND " + condition);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From yesterday: a hit sent just before midnight (UTC) is still in the range when the report is asked after it. */
    private static String yesterday() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static double dropped(String field, String reason) throws Exception {
        String prefix = "speck_hit_fields_dropped_total{field=\"" + field + "\",reason=\"" + reason + "\"} ";
        return speck.get("/metrics").body().lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(prefix.length()).trim())).orElse(0.0);
    }
}
