package dev.speck.enrich;

import dev.speck.hit.Hit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class VisitorIdsTest {

    private static final Instant MONDAY = Instant.parse("2025-03-10T08:00:00Z");

    @TempDir
    Path salts;

    private VisitorIds visitorIdsOn(Instant now) throws Exception {
        return new VisitorIds(salts, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Hit hitAt(Instant when) {
        return TestHits.pageView().at(when).build();
    }

    @Test
    void visitorIdChangesWithTheDayButNotWithinIt() throws Exception {
        VisitorIds ids = visitorIdsOn(MONDAY.plus(Duration.ofDays(1)));

        String mondayMorning = ids.idFor(hitAt(MONDAY));
        String mondayNight = ids.idFor(hitAt(Instant.parse("2025-03-10T23:59:59Z")));
        String tuesday = ids.idFor(hitAt(Instant.parse("2025-03-11T00:00:00Z")));

        assertThat(mondayMorning).isEqualTo(mondayNight).hasSize(16).matches("[A-Za-z0-9_-]+");
        assertThat(tuesday).isNotEqualTo(mondayMorning);
    }

    @Test
    void whoKnowsTheIpUserAgentAndPixelButNotTheSaltCannotRecomputeTheId(@TempDir Path otherSalts) throws Exception {
        Hit hit = hitAt(MONDAY);
        String id = visitorIdsOn(MONDAY).idFor(hit);

        // the same inputs under another (random) salt, as anyone without this data folder would have
        String elsewhere = new VisitorIds(otherSalts, Clock.fixed(MONDAY, ZoneOffset.UTC)).idFor(hit);
        // and the plain hash of the inputs, the usual way to "anonymise" an address
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] plain = sha.digest((hit.pixel() + "\0" + hit.client().ip() + "\0" + hit.client().userAgent())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String unsalted = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOf(plain, 12));

        assertThat(elsewhere).isNotEqualTo(id);
        assertThat(unsalted).isNotEqualTo(id);
        assertThat(id).doesNotContain(hit.client().ip()).doesNotContain("203.0.113");
    }

    @Test
    void differentVisitorsGetDifferentIds() throws Exception {
        VisitorIds ids = visitorIdsOn(MONDAY);

        String visitor = ids.idFor(hitAt(MONDAY));

        assertThat(ids.idFor(TestHits.pageView().at(MONDAY).ip("203.0.113.8").build())).isNotEqualTo(visitor);
        assertThat(ids.idFor(TestHits.pageView().at(MONDAY).userAgent("curl/8").build())).isNotEqualTo(visitor);
        assertThat(ids.idFor(TestHits.pageView().at(MONDAY).pixel("px_blog").build())).isNotEqualTo(visitor);
    }

    @Test
    void restartKeepsTheDaysIds() throws Exception {
        String beforeRestart = visitorIdsOn(MONDAY).idFor(hitAt(MONDAY));

        String afterRestart = visitorIdsOn(MONDAY.plus(Duration.ofHours(3))).idFor(hitAt(MONDAY));

        assertThat(afterRestart).isEqualTo(beforeRestart);
    }

    @Test
    void saltsAreWrittenOnePerDayWithNoLeftovers() throws Exception {
        VisitorIds ids = visitorIdsOn(MONDAY);

        ids.idFor(hitAt(MONDAY));
        ids.idFor(hitAt(MONDAY.minus(Duration.ofDays(1))));

        assertThat(saltFiles()).containsExactlyInAnyOrder("salt-2025-03-09", "salt-2025-03-10");
        assertThat(Files.size(salts.resolve("salt-2025-03-10"))).isEqualTo(32);
    }

    @Test
    void saltsOlderThanTwoDaysAreDeleted() throws Exception {
        VisitorIds early = visitorIdsOn(MONDAY);
        for (int day = -3; day <= 0; day++) {
            early.idFor(hitAt(MONDAY.plus(Duration.ofDays(day))));
        }
        String saturdayId = early.idFor(hitAt(MONDAY.minus(Duration.ofDays(2))));

        VisitorIds wednesday = visitorIdsOn(MONDAY.plus(Duration.ofDays(2)));

        assertThat(saltFiles()).containsExactlyInAnyOrder("salt-2025-03-10");
        assertThat(wednesday.idFor(hitAt(MONDAY.minus(Duration.ofDays(2))))).isNotEqualTo(saturdayId);
    }

    @Test
    void newDaySaltDeletesTheExpiredOnesWhileRunning() throws Exception {
        Instant[] now = {MONDAY};
        VisitorIds ids = new VisitorIds(salts, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        });
        ids.idFor(hitAt(MONDAY));

        now[0] = MONDAY.plus(Duration.ofDays(3));
        ids.idFor(hitAt(now[0]));

        assertThat(saltFiles()).containsExactlyInAnyOrder("salt-2025-03-13");
    }

    private List<String> saltFiles() throws Exception {
        try (Stream<Path> files = Files.list(salts)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
