package dev.speck.customers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the customer tests share: a site backend's signing, real user agents, and a scan of every stored value. */
final class CustomerFixtures {

    static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    private CustomerFixtures() {
    }

    /** What a site's backend does with the secret an admin copied from the console: the documented formula. */
    static String siteSigns(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    static String secret(RunningSpeck speck) throws Exception {
        return json(speck.get("/api/identity/secret")).get("secret").asText();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunningSpeck.JSON.readTree(r.body());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return json(r);
    }

    /** Creates (or updates) one customer through the API; returns it. */
    static JsonNode upsert(RunningSpeck speck, String json) throws Exception {
        return ok(speck.post("/api/customers", json, "Content-Type", "application/json")).get("customers").get(0);
    }

    static JsonNode profile(RunningSpeck speck, String id) throws Exception {
        return ok(speck.get("/api/customers/" + id));
    }

    /** A hit from the JS tag's endpoint, as a browser with this user agent sends it. */
    static void beacon(RunningSpeck speck, String pixel, String userAgent, String event) throws Exception {
        HttpResponse<String> r = speck.post("/p/" + pixel + "/events", event, "Content-Type", "text/plain",
                "User-Agent", userAgent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /**
     * Every row of every table, every column as text: where any of the needles still occurs, as
     * "table.column: needle". The loader's in-memory generations (rows not yet moved into the file)
     * count as the table they are loaded for. Under the store's move lock: the scan reads the file's
     * tables and the generations one query at a time (~2 s in all), and a move in between (2 s after
     * the loader's last commit) took a goal achievement out of memory after the file's table was read,
     * so that the scan missed it now and then. Under the lock no row moves while the scan runs.
     */
    static List<String> mentions(RunningSpeck speck, List<String> needles) throws Exception {
        List<String> found = new ArrayList<>();
        java.util.concurrent.locks.Lock moves = speck.app().database().moves();
        moves.lock();
        try (Connection c = speck.app().database().connect()) {
            List<String[]> columns = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT table_catalog, table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
                            + "AND (table_catalog, table_name) IN (SELECT table_catalog, table_name FROM information_schema.tables "
                            + "WHERE table_type = 'BASE TABLE' AND table_catalog <> 'temp')")) {
                while (rs.next()) {
                    columns.add(new String[]{"\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"",
                            rs.getString(2).replaceFirst("^loaded_(.*)_\\d$", "$1"), rs.getString(3)});
                }
            }
            assertThat(columns).as("the scan sees the store's tables").hasSizeGreaterThan(20);
            for (String[] col : columns) {
                for (String needle : needles) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + col[0] + " WHERE "
                            + "contains(lower(CAST(\"" + col[2] + "\" AS VARCHAR)), lower(?))")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            String mention = col[1] + "." + col[2] + ": " + needle;
                            if (rs.getLong(1) > 0 && !found.contains(mention)) {
                                found.add(mention);
                            }
                        }
                    }
                }
            }
        } finally {
            moves.unlock();
        }
        return found;
    }
}
