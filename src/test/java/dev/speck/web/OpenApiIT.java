package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Route;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi.json describes exactly the routes of the table the server answers with: none missing, none made up. */
class OpenApiIT {

    /** The console's pages: served by Speck, not part of the API. */
    private static final Set<String> PAGES = Set.of("GET /", "GET /console");

    @Test
    void openApiListsExactlyTheRoutesOfTheTable(@TempDir Path data) throws Exception {
        Set<String> table = new TreeSet<>();
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            for (Route route : speck.app().access().policy().routes()) {
                String key = route.method() + " " + shape(route.pattern());
                // a catch-all only answers 404/405 for what no route names (and the console's files)
                if (!route.catchAll() && !PAGES.contains(key)) {
                    table.add(key);
                }
            }
        }
        Set<String> described = new TreeSet<>();
        JsonNode paths;
        try (InputStream in = OpenApiIT.class.getResourceAsStream("/dev/speck/web/openapi.json")) {
            paths = RunningSpeck.JSON.readTree(in).get("paths");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    described.add(method + " " + shape(path.getKey()));
                }
            }
        }

        assertThat(described).as("routes in openapi.json").containsExactlyElementsOf(table);
    }

    /** Path parameters as {}: the table's {pixel} is openapi.json's {id}, its {goal} the {goalId}. */
    private static String shape(String pattern) {
        return pattern.replaceAll("\\{[^}/]*}", "{}");
    }
}
