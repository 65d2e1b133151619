package dev.speck.access;

import dev.speck.store.duckdb.DuckDbAccessRepository;
import dev.speck.store.duckdb.DuckDbDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Session expiry on the real store, with a clock the test moves (no waiting). */
class SessionsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T08:00:00Z"));
    private DuckDbDatabase database;
    private DuckDbAccessRepository repository;
    private Sessions sessions;

    @BeforeEach
    void open(@TempDir Path dir) {
        database = DuckDbDatabase.open(dir, "128MB", 1);
        repository = new DuckDbAccessRepository(database);
        sessions = new Sessions(repository, Duration.ofMinutes(60), Duration.ofHours(12), now::get);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void aSessionUnusedForTheIdleTimeEnds() {
        Sessions.Opened s = sessions.open("ann");
        advance(Duration.ofMinutes(59));
        assertThat(sessions.find(s.token())).isPresent();
        advance(Duration.ofMinutes(59)); // 118 minutes since sign-in, but only 59 since last use
        assertThat(sessions.find(s.token())).isPresent();
        advance(Duration.ofMinutes(61));
        assertThat(sessions.find(s.token())).isEmpty();
        assertThat(repository.session(s.session().id())).isEmpty(); // deleted, not just refused
    }

    @Test
    void aBusySessionStillEndsAtItsLifetime() {
        Sessions.Opened s = sessions.open("ann");
        for (int i = 0; i < 23; i++) {
            advance(Duration.ofMinutes(30));
            assertThat(sessions.find(s.token())).as("after %d half hours", i + 1).isPresent();
        }
        advance(Duration.ofMinutes(31));
        assertThat(sessions.find(s.token())).isEmpty();
    }

    @Test
    void theStoreHoldsOnlyTheTokensHashAndEachSignInGetsANewOne() {
        Sessions.Opened a = sessions.open("ann");
        Sessions.Opened b = sessions.open("ann");
        assertThat(a.token()).isNotEqualTo(b.token());
        assertThat(a.session().id()).isNotEqualTo(a.token()).hasSize(64);
        assertThat(repository.session(a.token())).isEmpty();
        char other = a.token().charAt(0) == 'x' ? 'y' : 'x';
        assertThat(sessions.find(other + a.token().substring(1))).isEmpty();
        sessions.close(a.session());
        assertThat(sessions.find(a.token())).isEmpty();
        assertThat(sessions.find(b.token())).isPresent();
    }
}
