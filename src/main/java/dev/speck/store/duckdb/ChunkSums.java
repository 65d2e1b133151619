package dev.speck.store.duckdb;

import dev.speck.report.GoalCounts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A goals report's rows of one goal (and version) added up over the chunks of visitors it was read
 * in ({@link VisitorChunk}), kept in the order its SQL sorts them (goal, then version, none first),
 * so a report read in chunks is the one read at once.
 */
final class ChunkSums {

    /** DuckDB's order of text: by its UTF-8 bytes (String.compareTo differs past U+FFFF). */
    static final Comparator<String> TEXT = Comparator.nullsLast(
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));

    private static final Comparator<GoalCounts> ORDER = Comparator.comparing(GoalCounts::goal, TEXT)
            .thenComparing(GoalCounts::version, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Map<GoalCounts, GoalCounts> rows = new TreeMap<>(ORDER);

    void add(GoalCounts g) {
        rows.merge(g, g, ChunkSums::plus);
    }

    List<GoalCounts> rows() {
        return List.copyOf(rows.values());
    }

    /** Two chunks' figures of one goal together: their visitors are disjoint, so every figure adds up. */
    static GoalCounts plus(GoalCounts a, GoalCounts b) {
        return new GoalCounts(a.goal(), a.version(), a.achievements() + b.achievements(),
                a.firstAchievements() + b.firstAchievements(), a.achievers() + b.achievers(), money(a.value().add(b.value())),
                money(a.firstValue().add(b.firstValue())), max(a.currency(), b.currency()));
    }

    /** As SQL's max: the greater text, NULL only when both are. */
    static String max(String a, String b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return TEXT.compare(a, b) >= 0 ? a : b;
    }

    /** A DECIMAL sum, exact, in its shortest form (12.5, not 12.5000); zero when there was nothing to sum. */
    static BigDecimal money(BigDecimal v) {
        if (v == null || v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        v = v.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }
}
