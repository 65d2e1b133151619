package dev.speck.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void defaultsGiveAWorkingConfiguration() {
        SpeckConfig c = new ConfigLoader().load();
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.journal().segmentBytes()).isEqualTo(32 << 20);
        assertThat(c.journal().maxBytes()).isEqualTo(2L << 30);
        assertThat(c.store().pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.collect().trustedProxies()).isEmpty();
        assertThat(c.enrich().geoDatabase()).isNull();
    }

    @Test
    void fileThenEnvironmentThenFlagsEachWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("speck.properties");
        Files.writeString(file, "http.port=9000\njournal.max-size=4GB\ncollect.trusted-proxies=10.0.0.0/8, ::1/128\n");

        SpeckConfig c = new ConfigLoader().file(file)
                .environment(Map.of("SPECK_HTTP_PORT", "9100", "SPECK_STORE_POLL_INTERVAL", "1s", "PATH", "/bin"))
                .set("http.port", "9200")
                .load();

        assertThat(c.http().port()).isEqualTo(9200);
        assertThat(c.journal().maxBytes()).isEqualTo(4L << 30);
        assertThat(c.store().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.collect().trustedProxies()).isEqualTo(List.of("10.0.0.0/8", "::1/128"));
    }

    @Test
    void theAdminPasswordComesFromSpeckAdminPasswordAndNeverShowsInTheConfiguration() {
        SpeckConfig c = new ConfigLoader().environment(Map.of("SPECK_ADMIN_PASSWORD", "from-the-environment")).load();
        assertThat(c.access().adminPassword()).isEqualTo("from-the-environment");
        assertThat(c.toString()).doesNotContain("from-the-environment");
        assertThat(new ConfigLoader().load().access().adminPassword()).isNull();
        assertThat(new ConfigLoader().environment(Map.of("SPECK_ADMIN_PASSWORD", "short",
                "SPECK_ACCESS_ADMIN_PASSWORD", "the-longer-name-wins")).load().access().adminPassword())
                .isEqualTo("the-longer-name-wins");
    }

    @Test
    void theIdleHeapTrimWaitsThirtySecondsByDefaultAndCanBeTurnedOff() {
        assertThat(new ConfigLoader().load().memory().idleTrimAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new ConfigLoader().set("memory.idle-trim-after", "2m").load().memory().idleTrimAfter())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(new ConfigLoader().set("memory.idle-trim-after", "off").load().memory().idleTrimAfter()).isNull();
        assertThatThrownBy(() -> new ConfigLoader().set("memory.idle-trim-after", "0s").load())
                .hasMessageContaining("memory.idle-trim-after").hasMessageContaining("a positive duration");
    }

    @Test
    void badValueNamesTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> new ConfigLoader().set("http.port", "80a").load())
                .isInstanceOf(ConfigError.class)
                .hasMessage("configuration http.port='80a' is invalid: an integer from 0 to 65535");
        assertThatThrownBy(() -> new ConfigLoader().set("journal.max-size", "lots").load())
                .hasMessageContaining("journal.max-size='lots'").hasMessageContaining("a size such as");
        assertThatThrownBy(() -> new ConfigLoader().set("store.poll-interval", "0s").load())
                .hasMessageContaining("a positive duration");
    }

    @Test
    void customerImportsMayBeLargerThanOtherBodiesButNeverSmallerThanThem() {
        assertThat(new ConfigLoader().load().customers().importMaxBytes()).isEqualTo(8 << 20);
        assertThat(new ConfigLoader().set("customers.import-max-bytes", "32MB").load().customers().importMaxBytes())
                .isEqualTo(32 << 20);
        assertThatThrownBy(() -> new ConfigLoader().set("customers.import-max-bytes", "16KB").load())
                .hasMessageContaining("customers.import-max-bytes='16KB'").hasMessageContaining("from 65536");
    }

    @Test
    void unknownKeyIsAnErrorNotIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("speck.properties");
        Files.writeString(file, "http.prot=9000\n");
        assertThatThrownBy(() -> new ConfigLoader().file(file))
                .hasMessageContaining("http.prot").hasMessageContaining("no such setting");
    }

    @Test
    void tlsNeedsCertificateAndKeyTogetherAndHstsMustBeAValidHeader() {
        SpeckConfig plain = new ConfigLoader().load();
        assertThat(plain.http().tls().enabled()).isFalse();
        assertThat(plain.http().tls().hsts()).isEqualTo("max-age=31536000");

        SpeckConfig tls = new ConfigLoader().set("http.tls-certificate", "/etc/speck/cert.pem")
                .set("http.tls-key", "/etc/speck/key.pem").set("http.hsts", "max-age=63072000; includeSubDomains; preload")
                .load();
        assertThat(tls.http().tls().certificate()).isEqualTo(Path.of("/etc/speck/cert.pem"));
        assertThat(tls.http().tls().reloadInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(tls.http().tls().hsts()).isEqualTo("max-age=63072000; includeSubDomains; preload");
        assertThat(new ConfigLoader().set("http.hsts", "").load().http().tls().hsts()).isNull();

        assertThatThrownBy(() -> new ConfigLoader().set("http.tls-key", "/etc/speck/key.pem").load())
                .hasMessageContaining("http.tls-certificate").hasMessageContaining("needs both files");
        assertThatThrownBy(() -> new ConfigLoader().set("http.hsts", "max-age=1\r\nX-Evil: 1").load())
                .hasMessageContaining("http.hsts").hasMessageContaining("max-age=31536000");
    }
}
