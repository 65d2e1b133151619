package dev.speck.ops;

import dev.speck.config.ConfigLoader;
import dev.speck.config.SpeckConfig;
import dev.speck.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorTest {

    @TempDir
    Path dir;

    private static Doctor.Finding finding(List<Doctor.Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + check + " in " + findings));
    }

    @Test
    void aFolderWithoutGeoDataIsAWarningThatSaysHowToInstallIt() {
        SpeckConfig config = new ConfigLoader().set("data-dir", dir.toString()).load();

        List<Doctor.Finding> findings = new Doctor(config, Instant.now()).examine();

        assertThat(finding(findings, "geo").verdict()).isEqualTo(Doctor.Verdict.WARN);
        assertThat(finding(findings, "geo").detail()).contains("speck geo update --data-dir");
        assertThat(finding(findings, "data folder").verdict()).isEqualTo(Doctor.Verdict.OK);
        assertThat(findings).noneMatch(f -> f.verdict() == Doctor.Verdict.FAIL);
    }

    @Test
    void aCertificateNearItsEndWarnsAndAnExpiredOneFails() throws Exception {
        TestCertificates.Pem pem = TestCertificates.create(dir.resolve("tls"), "doctor", "EC");
        SpeckConfig config = new ConfigLoader().set("data-dir", dir.resolve("data").toString())
                .set("http.tls-certificate", pem.certificate().toString()).set("http.tls-key", pem.key().toString()).load();
        Files.createDirectories(dir.resolve("data"));
        Instant notAfter = pem.x509().getNotAfter().toInstant();

        assertThat(finding(new Doctor(config, notAfter.minus(Duration.ofDays(20))).examine(), "tls").verdict())
                .isEqualTo(Doctor.Verdict.OK);
        assertThat(finding(new Doctor(config, notAfter.minus(Duration.ofDays(5))).examine(), "tls").verdict())
                .isEqualTo(Doctor.Verdict.WARN);
        Doctor.Finding expired = finding(new Doctor(config, notAfter.plus(Duration.ofDays(1))).examine(), "tls");
        assertThat(expired.verdict()).isEqualTo(Doctor.Verdict.FAIL);
        assertThat(expired.detail()).contains("expired");
    }

    @Test
    void aFileWrittenInTheFutureSaysTheClockWentBack() throws Exception {
        Path file = Files.writeString(dir.resolve("speck.duckdb.wal"), "x");
        Instant now = Instant.now();
        Files.setLastModifiedTime(file, FileTime.from(now.plus(Duration.ofHours(2))));
        SpeckConfig config = new ConfigLoader().set("data-dir", dir.toString()).load();

        Doctor.Finding clock = finding(new Doctor(config, now).examine(), "clock");

        assertThat(clock.verdict()).isEqualTo(Doctor.Verdict.WARN);
        assertThat(clock.detail()).contains("the clock went back");
    }

    @Test
    void aMissingDataFolderFails() {
        SpeckConfig config = new ConfigLoader().set("data-dir", dir.resolve("nowhere").toString()).load();

        assertThat(finding(new Doctor(config, Instant.now()).examine(), "data folder").verdict())
                .isEqualTo(Doctor.Verdict.FAIL);
    }
}
