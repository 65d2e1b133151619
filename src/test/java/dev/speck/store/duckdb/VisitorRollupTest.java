package dev.speck.store.duckdb;

import dev.speck.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VisitorRollupTest {

    @TempDir
    Path dir;

    /** The store is closed after the first run: a run that queried it would fail, one that skips does not. */
    @Test
    void thePeriodicRunLeavesTheStoreAloneUntilAnEventIsStored() {
        AtomicLong stored = new AtomicLong();
        DuckDbDatabase db = DuckDbDatabase.open(dir, "64MB", 1);
        try (VisitorRollup rollup = new VisitorRollup(db, 60_000, stored::get)) {
            assertThat(rollup.runIfAnythingNew()).as("the first run always looks").isZero();
            db.close();

            assertThat(rollup.runIfAnythingNew()).as("nothing stored since: no query").isZero();
            assertThat(rollup.periodicRuns()).as("only runs that queried count").isEqualTo(1);

            stored.incrementAndGet();
            assertThatThrownBy(rollup::runIfAnythingNew).as("an event stored: it queries the store again")
                    .isInstanceOf(StoreException.class);
        }
    }

    /** The chunks of a busy day are sized from DuckDB's memory limit as DuckDB writes it. */
    @Test
    void duckDbsWayOfWritingASizeReadsAsBytes() {
        assertThat(DayRollup.bytes("244.1 MiB")).isEqualTo((long) (244.1 * (1 << 20)));
        assertThat(DayRollup.bytes("1.0 GiB")).isEqualTo(1L << 30);
        assertThat(DayRollup.bytes("512 bytes")).isEqualTo(512);
        assertThat(DayRollup.bytes("2 GB")).isEqualTo(2_000_000_000L);
    }
}
