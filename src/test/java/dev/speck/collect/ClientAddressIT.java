package dev.speck.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.enrich.GeoFixtures;
import dev.speck.pixels.Pixel;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client addresses a trusted proxy forwards, over real HTTP into the store: forms with ports and
 * brackets are geolocated, an unusable one leaves the hit without an address (never the proxy's).
 */
class ClientAddressIT {

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @TempDir
    static Path temp;
    static Path geo;
    static RunningSpeck speck;

    @BeforeAll
    static void start() throws Exception {
        geo = GeoFixtures.write(temp, "city"); // 203.0.113.0/24 Munich, 2001:db8::/32 Tokyo
        speck = RunningSpeck.start(temp.resolve("data"), Map.of(
                "collect.trusted-proxies", "127.0.0.1/32,::1/128",
                "enrich.geo-database", geo.toString()));
    }

    @AfterAll
    static void stop() {
        speck.close();
    }

    @Test
    void forwardedAddressesWithPortsAndBracketsGetTheirGeodata() throws Exception {
        Pixel p = speck.createPixel("ports", List.of());
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fa", "User-Agent", CHROME,
                "X-Forwarded-For", "203.0.113.77:1234");
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fb", "User-Agent", CHROME,
                "X-Forwarded-For", "[2001:db8::1]:443, 127.0.0.1");

        List<JsonNode> events = byUrl(speck.awaitEvents(p.id(), 2));
        assertThat(events.get(0).get("city").asText()).isEqualTo("Munich");
        assertThat(events.get(0).get("ip_prefix").asText()).isEqualTo("203.0.113.0");
        assertThat(events.get(0).hasNonNull("visitor_id")).isTrue();
        assertThat(events.get(1).get("city").asText()).isEqualTo("Tokyo");
    }

    @Test
    void anUnusableForwardedAddressKeepsTheHitWithoutTheProxysPlaceOrASharedVisitor() throws Exception {
        Pixel p = speck.createPixel("garbage", List.of());
        double before = dropped("malformed");
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fa", "User-Agent", CHROME,
                "X-Forwarded-For", "garbage");
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fb", "User-Agent", CHROME,
                "X-Forwarded-For", "not-an-address:80");
        speck.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fc", "User-Agent", CHROME,
                "X-Forwarded-For", "unknown");

        List<JsonNode> events = byUrl(speck.awaitEvents(p.id(), 3));
        for (JsonNode e : events) {
            assertThat(e.hasNonNull("ip_prefix")).as("not the proxy's 127.0.0.0: " + e).isFalse();
            assertThat(e.hasNonNull("country")).isFalse();
            assertThat(e.hasNonNull("visitor_id")).as("two such hits are not one visitor").isFalse();
        }
        assertThat(dropped("malformed"))
                .isEqualTo(before + 2);
        assertThat(dropped("unknown"))
                .isPositive();
    }

    @Test
    void theForwardedHeaderIsReadWhenConfiguredAndXForwardedForThenIgnored() throws Exception {
        try (RunningSpeck rfc = RunningSpeck.start(temp.resolve("rfc7239"), Map.of(
                "collect.trusted-proxies", "127.0.0.1/32,::1/128",
                "collect.client-address-header", "Forwarded",
                "enrich.geo-database", geo.toString()))) {
            Pixel p = rfc.createPixel("rfc", List.of());
            rfc.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fa", "User-Agent", CHROME,
                    "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=127.0.0.1",
                    "X-Forwarded-For", "203.0.113.77");
            rfc.getBytes("/p/" + p.id() + ".gif?u=https%3A%2F%2Fshop.example%2Fb", "User-Agent", CHROME,
                    "Forwarded", "for=_hidden;by=127.0.0.1", "X-Forwarded-For", "203.0.113.77");

            List<JsonNode> events = byUrl(rfc.awaitEvents(p.id(), 2));
            assertThat(events.get(0).get("city").asText()).isEqualTo("Tokyo");
            assertThat(events.get(1).hasNonNull("country")).as("not Munich from X-Forwarded-For").isFalse();
            assertThat(events.get(1).hasNonNull("visitor_id")).isFalse();
        }
    }

    /** speck_hit_fields_dropped_total of client_address for a reason; 0 before the first such drop. */
    private static double dropped(String reason) throws Exception {
        String prefix = "speck_hit_fields_dropped_total{field=\"client_address\",reason=\"" + reason + "\"} ";
        return speck.get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(0);
    }

    private static List<JsonNode> byUrl(List<JsonNode> events) {
        return events.stream().sorted(Comparator.comparing(e -> e.get("url").asText())).toList();
    }
}
