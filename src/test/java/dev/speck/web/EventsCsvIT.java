package dev.speck.web;

import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/pixels/{id}/events?format=csv}: the page of events as a table, as the API docs promise. */
class EventsCsvIT {

    @TempDir
    static Path temp;
    static RunningSpeck speck;

    @BeforeAll
    static void start() throws Exception {
        speck = RunningSpeck.start(temp.resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    @Test
    void eventsAreATableWithAColumnPerFieldAndPropsAsJson() throws Exception {
        Pixel p = speck.createPixel("csv", List.of());
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fa&t=Shoes%2C+red");
        speck.getBytes("/p/" + p.id() + ".gif?k=goal&n=purchase&v=49.9&cur=EUR&p.plan=pro&u=https%3A%2F%2Fshop.example%2Fb");
        speck.awaitEvents(p.id(), 2);

        HttpResponse<String> r = speck.get("/api/pixels/" + p.id() + "/events?format=csv");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<List<String>> rows = GoalsReportIT.Csv.parse(r.body());
        List<String> header = rows.get(0);
        assertThat(header).contains("seq", "kind", "url", "title", "name", "value", "currency", "props");
        assertThat(rows).hasSize(3);
        Map<String, String> newest = row(header, rows.get(1));
        Map<String, String> oldest = row(header, rows.get(2));
        assertThat(newest).containsEntry("kind", "goal").containsEntry("name", "purchase").containsEntry("currency", "EUR")
                .containsEntry("props", "{\"plan\":\"pro\"}");
        assertThat(Double.parseDouble(newest.get("value"))).isEqualTo(49.9);
        assertThat(oldest).containsEntry("kind", "page_view").containsEntry("title", "Shoes, red")
                .containsEntry("url", "https://shop.example/a").containsEntry("name", "");
    }

    @Test
    void aFullPageLinksTheNextAndAnUnknownFormatIsRefused() throws Exception {
        Pixel p = speck.createPixel("csv pages", List.of());
        for (int i = 0; i < 3; i++) {
            speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2F" + i);
        }
        speck.awaitEvents(p.id(), 3);

        HttpResponse<String> first = speck.get("/api/pixels/" + p.id() + "/events?format=csv&limit=2");
        String link = first.headers().firstValue("Link").orElseThrow();
        assertThat(link).startsWith("</api/pixels/" + p.id() + "/events?limit=2&before=").endsWith("&format=csv>; rel=\"next\"");
        HttpResponse<String> second = speck.get(link.substring(1, link.indexOf('>')));
        assertThat(GoalsReportIT.Csv.parse(second.body())).hasSize(2); // the header and the oldest event
        assertThat(second.headers().firstValue("Link")).isEmpty();

        assertThat(speck.get("/api/pixels/" + p.id() + "/events?format=xml").statusCode()).isEqualTo(400);
        assertThat(speck.get("/api/pixels/" + p.id() + "/events").headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
    }

    private static Map<String, String> row(List<String> header, List<String> values) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            out.put(header.get(i), i < values.size() ? values.get(i) : "");
        }
        return out;
    }
}
