package dev.speck.store.duckdb;

import dev.speck.customers.Customer;
import dev.speck.segments.PersonHits;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A live run's prepared rows (SegmentSql.EVENTS and ACHIEVEMENTS) read into the JVM, by person, oldest first. */
final class SegmentRows {

    private SegmentRows() {
    }

    static List<PersonHits> read(Connection c) throws SQLException {
        List<String> fields = SegmentSql.FIELDS;
        Map<String, List<PersonHits.Hit>> hits = new LinkedHashMap<>();
        Map<String, List<PersonHits.Goal>> goals = new HashMap<>();
        Map<String, Customer> customers = new HashMap<>();
        StringBuilder cols = new StringBuilder();
        for (String f : fields) {
            cols.append(", f_").append(f);
        }
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT person, seq, time, kind, name, path" + cols + " FROM " + SegmentSql.EVENTS
                    + " ORDER BY person, time, seq")) {
                while (rs.next()) {
                    Map<String, String> values = new HashMap<>();
                    for (int i = 0; i < fields.size(); i++) {
                        String v = rs.getString(7 + i);
                        if (v != null) {
                            values.put(fields.get(i), v);
                        }
                    }
                    hits.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(new PersonHits.Hit(rs.getLong(2),
                            instant(rs, 3), rs.getString(4), rs.getString(5), rs.getString(6), values));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT e.person, a.seq, a.time, a.goal_id, a.value, a.currency FROM "
                    + SegmentSql.ACHIEVEMENTS + " a JOIN " + SegmentSql.EVENTS + " e ON e.seq = a.seq ORDER BY a.time, a.seq")) {
                while (rs.next()) {
                    goals.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(new PersonHits.Goal(rs.getLong(2),
                            instant(rs, 3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT " + DuckDbCustomerRepository.COLUMNS + " FROM customers WHERE id IN"
                    + " (SELECT DISTINCT person FROM " + SegmentSql.EVENTS + " WHERE person NOT LIKE 'v:%')")) {
                while (rs.next()) {
                    Customer k = DuckDbCustomerRepository.customerAt(rs, 1);
                    customers.put(k.id(), k);
                }
            }
        }
        List<PersonHits> out = new ArrayList<>(hits.size());
        hits.forEach((person, list) -> out.add(new PersonHits(person, customers.get(person), list,
                goals.getOrDefault(person, List.of()))));
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
