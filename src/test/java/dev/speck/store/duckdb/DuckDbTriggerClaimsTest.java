package dev.speck.store.duckdb;

import dev.speck.triggers.TriggerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DuckDbTriggerClaimsTest {

    @TempDir
    Path dir;

    @Test
    void aChunksClaimsInOneWriteAnswerAsOneClaimAfterAnother() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        Duration day = Duration.ofDays(1);
        try (DuckDbDatabase db = DuckDbDatabase.open(dir, "128MB", 1)) {
            DuckDbTriggers triggers = new DuckDbTriggers(db);
            assertThat(triggers.claim("tr_1", "c_ada", "tr_1:a.0", t0.minusSeconds(60), day)).isTrue();

            boolean[] answers = triggers.claimAll(List.of(
                    new TriggerStore.Claim("tr_1", "c_ada", "tr_1:a.0", t0.minusSeconds(60), day), // read again: yes
                    new TriggerStore.Claim("tr_1", "c_ada", "tr_1:a.1", t0, day),                  // within the day: no
                    new TriggerStore.Claim("tr_1", "c_bob", "tr_1:a.2", t0, day),                  // Bob's first: yes
                    new TriggerStore.Claim("tr_1", "c_bob", "tr_1:a.3", t0.plusSeconds(1), day),   // sees a.2: no
                    new TriggerStore.Claim("tr_2", "c_bob", "tr_2:a.3", t0.plusSeconds(1), null))); // no limit: yes

            assertThat(answers).containsExactly(true, false, true, false, true);
            // what the write recorded holds for the next chunk
            assertThat(triggers.claim("tr_1", "c_bob", "tr_1:b.0", t0.plusSeconds(2), day)).isFalse();
            assertThat(triggers.claim("tr_1", "c_bob", "tr_1:a.2", t0, day)).isTrue();
        }
    }
}
