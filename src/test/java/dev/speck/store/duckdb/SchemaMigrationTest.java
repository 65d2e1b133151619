package dev.speck.store.duckdb;

import dev.speck.enrich.Event;
import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.journal.JournalPosition;
import dev.speck.report.DailyCount;
import dev.speck.report.GoalCounts;
import dev.speck.report.GoalReports;
import dev.speck.report.ReportQuery;
import dev.speck.report.Traffic;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every schema main has had (schemas/NN-commit.sql, as schema.sql read at that commit) opens with
 * the current code: a store is made from the old text with rows in its own column layout (money as
 * DOUBLE where it was), then opened as Speck opens it. Its rows, money and reports survive exactly,
 * its tables end up as a fresh store's (columns in the same order: the loader appends by position),
 * and the loader and the rollup work on it. When schema.sql changes, the schema it replaces joins
 * the folder ({@code git show COMMIT:src/main/resources/dev/speck/store/duckdb/schema.sql}); the
 * tables the repositories create themselves (users, sessions, api_keys, audit_log) have not changed.
 */
class SchemaMigrationTest {

    /** Tables whose rows an old schema writes itself or that hold the rollup's bookkeeping. */
    private static final Set<String> NOT_FILLED = Set.of("events_moved", "schema_marks", "rollup_state", "rollup_pending");
    private static final Set<String> MONEY = Set.of("value", "first_value");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    /** Rolled-up rows of a day no event is on: they must survive, and not enter the reports below. */
    private static final LocalDate ROLLED_DAY = LocalDate.of(2026, 10, 1);
    private static final String[] VALUES = {"19.99", "0.1", "20224.1", "0.3", "999999999999.64", "-5.05"};
    private static final int ROWS = 6;

    @TempDir
    Path dir;

    static Stream<String> schemas() throws IOException, URISyntaxException {
        Path folder = Path.of(SchemaMigrationTest.class.getResource("schemas").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void aStoreFromAnEarlierSchemaOpensWithItsRowsMoneyAndReportsIntact(String schema) throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        Map<String, List<String>> oldColumns;
        Map<String, List<String>> before;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + old.resolve("speck.duckdb"));
             Statement st = c.createStatement()) {
            String ddl = Files.readString(Path.of(SchemaMigrationTest.class.getResource("schemas/" + schema).toURI()),
                    StandardCharsets.UTF_8);
            for (String sql : ddl.replaceAll("(?m)--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
            fill(st);
            oldColumns = columns(st);
            before = rows(st, oldColumns);
        }
        Path fresh = dir.resolve("fresh");
        List<String> freshLayout;
        DuckDbEngine freshEngine = DuckDbEngine.open(fresh, "128MB", 1, 0);
        freshEngine.events().close();
        try (DuckDbDatabase db = freshEngine.database(); Connection c = db.connect(); Statement st = c.createStatement()) {
            freshLayout = layout(st);
        }

        DuckDbEngine engine = DuckDbEngine.open(old, "128MB", 1, 0);
        try (DuckDbDatabase db = engine.database(); Connection c = db.connect(); Statement st = c.createStatement()) {
            assertThat(layout(st)).as("tables, columns (in order), types, nullability and keys of a fresh store")
                    .containsExactlyElementsOf(freshLayout);
            if (before.containsKey("rolled_days") && !before.containsKey("schema_marks")) {
                // Days rolled before traffic quality are rolled again (people only): pending until then.
                List<String> pending = before.put("rolled_days", List.of()).stream()
                        .map(r -> r.substring(0, r.lastIndexOf(" | "))).toList();
                assertThat(rows(st, Map.of("rollup_pending", List.of("pixel", "day"))).get("rollup_pending"))
                        .containsExactlyElementsOf(pending);
            }
            Map<String, List<String>> after = rows(st, oldColumns); // the old store's columns of each of its tables
            for (String table : before.keySet()) {
                assertThat(after.get(table)).as("every row of the old store's " + table + ", money rounded to 4 places")
                        .containsExactlyElementsOf(before.get(table));
            }

            ReportQuery raw = new ReportQuery("px", DAY.minusDays(1), DAY.plusDays(1), Map.of(), true, Traffic.ALL);
            assertThat(engine.reports().daily("px", raw.from(), raw.to(), Traffic.ALL))
                    .containsExactly(new DailyCount(DAY, ROWS, ROWS));
            assertGoalTotals(engine.goalReports().totals(raw));

            engine.events().close(); // its own close: the store below appends with its mover run inline
            try (DuckDbEventStore store = new DuckDbEventStore(db, Runnable::run)) {
                store.append(List.of(newEvent()), List.of(new JournalPosition("lane-0", 1, 10)));
                store.moveNow();
                assertThat(value(st, "SELECT path || ' ' || value || ' ' || verdict || ' ' || seq FROM events"
                        + " WHERE name = 'after-upgrade'")).as("the loader's positional rows land in their columns")
                        .isEqualTo("/after 12.3400 human " + (ROWS + 1));
            }
            try (VisitorRollup rollup = new VisitorRollup(db, 60_000, () -> 0)) {
                rollup.runOnce();
            }
            assertThat(value(st, "SELECT count(*) FROM rolled_days WHERE day = DATE '" + DAY + "'"))
                    .as("the old events' day rolled up").isEqualTo("1");
            ReportQuery people = new ReportQuery("px", DAY, DAY, Map.of(), true, Traffic.HUMAN);
            assertGoalTotals(engine.goalReports().totals(people));
        }
    }

    /** The old goal events (every other row) as the implicit goal goal:name-N, each with its value, exactly. */
    private static void assertGoalTotals(GoalReports.Totals totals) {
        assertThat(totals.visitors()).isEqualTo(ROWS);
        BigDecimal sum = BigDecimal.ZERO;
        long achievements = 0;
        for (GoalCounts g : totals.goals()) {
            if (g.version() != null) {
                continue; // one version's share of the goal's row
            }
            sum = sum.add(g.value());
            achievements += g.achievements();
        }
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 1; i < ROWS; i += 2) {
            expected = expected.add(new BigDecimal(VALUES[i]));
        }
        assertThat(achievements).isEqualTo(ROWS / 2);
        assertThat(sum).isEqualByComparingTo(expected);
    }

    private static Event newEvent() {
        Hit hit = Hit.of(DAY.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli(), HitKind.EVENT, "px")
                .name("after-upgrade").page(new Hit.Page("https://shop.example/after", null, null))
                .client(new Hit.Client("203.0.113.9", "ua", Map.of(), "en", null, null, null))
                .value(new Hit.Value(new BigDecimal("12.34"), "EUR")).build();
        return new Event(hit, "visitor", "203.0.113.0", null, null, null, null, null);
    }

    /** ROWS rows in every table an old store had, each column's value chosen by its name and type. */
    private static void fill(Statement st) throws SQLException {
        Map<String, List<String[]>> columns = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type FROM duckdb_columns()"
                + " WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index")) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new String[]{rs.getString(2), rs.getString(3)});
            }
        }
        for (Map.Entry<String, List<String[]>> table : columns.entrySet()) {
            if (NOT_FILLED.contains(table.getKey())) {
                continue;
            }
            for (int i = 0; i < ROWS; i++) {
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (String[] column : table.getValue()) {
                    names.add(column[0]);
                    values.add(literal(table.getKey(), column[0], column[1], i));
                }
                st.execute("INSERT INTO " + table.getKey() + " (" + String.join(", ", names) + ") VALUES ("
                        + String.join(", ", values) + ")");
            }
        }
    }

    private static String literal(String table, String column, String type, int i) {
        boolean rollup = table.endsWith("_days");
        LocalDate day = rollup ? ROLLED_DAY.plusDays(i) : DAY;
        return switch (column) {
            case "seq", "through_seq" -> Integer.toString(i + 1);
            case "time", "first_seen" -> "TIMESTAMP '" + day + " " + String.format("%02d", 8 + i) + ":15:00'";
            case "day" -> "DATE '" + day + "'";
            case "pixel" -> "'px'";
            case "kind" -> i % 2 == 0 ? "'page_view'" : "'goal'";
            case "name" -> table.equals("events") ? "'name-" + i + "'" : "'" + table + "-" + i + "'";
            case "path" -> "'/page-" + i + "'";
            case "visitor_id" -> "'visitor-" + i + "'";
            case "is_bot", "implicit", "is_first" -> "FALSE";
            case "verdict" -> "'human'";
            case "goals", "attributes", "definition" -> table.equals("goals") || column.equals("goals") ? "'[]'" : "'{}'";
            default -> MONEY.contains(column) ? money(type, i) : byType(column, type, i);
        };
    }

    /** Values were DOUBLE: 0.1 + 0.2 as a double (0.30000000000000004) must come out as 0.3. */
    private static String money(String type, int i) {
        String v = VALUES[i];
        if (type.equals("DOUBLE") && v.equals("0.3")) {
            return "CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE)";
        }
        return "CAST(" + v + " AS " + type + ")";
    }

    private static String byType(String column, String type, int i) {
        if (type.endsWith("[]")) {
            return "['" + column + "-" + i + "']";
        }
        if (type.startsWith("MAP")) {
            return "MAP {'id': '" + column + "-" + i + "'}";
        }
        return switch (type) {
            case "VARCHAR" -> "'" + column + "-" + i + "'";
            case "BOOLEAN" -> i % 2 == 0 ? "TRUE" : "FALSE";
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT" -> Integer.toString(i + 1);
            case "DOUBLE" -> (i + 1) + ".25";
            case "TIMESTAMP" -> "TIMESTAMP '" + DAY + " 07:00:00'";
            case "DATE" -> "DATE '" + DAY + "'";
            default -> throw new AssertionError("no test value for a " + type + " column (" + column + ")");
        };
    }

    /** Each table's columns, in order. */
    private static Map<String, List<String>> columns(Statement st) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT table_name, column_name FROM duckdb_columns() WHERE database_name ="
                + " current_database() AND schema_name = 'main' ORDER BY table_name, column_index")) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return columns;
    }

    /** Each table's rows in the given columns, every column as text, sorted; money rounded to 4 places as the migration does. */
    private static Map<String, List<String>> rows(Statement st, Map<String, List<String>> columns) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            List<String> exprs = table.getValue().stream().map(c -> MONEY.contains(c)
                    ? "coalesce(CAST(CAST(round(" + c + ", 4) AS DECIMAL(38,4)) AS VARCHAR), 'NULL')"
                    : "coalesce(CAST(" + c + " AS VARCHAR), 'NULL')").toList();
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT concat_ws(' | ', " + String.join(", ", exprs) + ") AS r FROM "
                    + table.getKey() + " ORDER BY r")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            out.put(table.getKey(), rows);
        }
        return out;
    }

    /** Per table: its columns in order with type and nullability, then its constraints. */
    private static List<String> layout(Statement st) throws SQLException {
        Map<String, List<String>> layout = new java.util.TreeMap<>();
        try (ResultSet rs = st.executeQuery("SELECT table_name, column_name || ' ' || data_type || CASE WHEN is_nullable"
                + " THEN '' ELSE ' NOT NULL' END || coalesce(' DEFAULT ' || column_default, '') FROM duckdb_columns()"
                + " WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index")) {
            while (rs.next()) {
                layout.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT table_name, constraint_type || ' ' || array_to_string(constraint_column_names, ',')"
                + " AS c FROM duckdb_constraints() WHERE database_name = current_database() AND schema_name = 'main'"
                + " AND constraint_type <> 'NOT NULL' ORDER BY table_name, c")) {
            while (rs.next()) {
                layout.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        List<String> lines = new ArrayList<>();
        layout.forEach((table, parts) -> {
            for (int i = 0; i < parts.size(); i++) {
                lines.add(table + " #" + i + ": " + parts.get(i));
            }
        });
        return lines;
    }

    private static String value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
