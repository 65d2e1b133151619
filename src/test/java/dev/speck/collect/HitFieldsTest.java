package dev.speck.collect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HitFieldsTest {

    @Test
    void timeZonesAreIanaNames() {
        for (String ok : List.of("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14")) {
            assertThat(HitFields.zone(ok)).isEqualTo(ok);
        }
        assertThat(HitFields.zone("")).isNull();
        assertThat(HitFields.zone(null)).isNull();
        for (String bad : List.of("1Europe", "Europe/Berlin;drop", "Europe Berlin", "/Berlin", "É", "A".repeat(65))) {
            assertThatThrownBy(() -> HitFields.zone(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(HitFields.zone("A".repeat(64))).hasSize(64);
    }

    @Test
    void languagesAreTagsOfUpToFourSubtags() {
        for (String ok : List.of("en", "de-CH", "zh-Hant-TW", "sr-Latn-RS-x1", "i-klingon", "es-419")) {
            assertThat(HitFields.language(ok)).isEqualTo(ok);
        }
        assertThat(HitFields.language("")).isNull();
        for (String bad : List.of("en-", "-en", "en--US", "e1", "123", "en-US-a-b-c", "abcdefghi", "en-abcdefghi", "en_US",
                "de;q=1")) {
            assertThatThrownBy(() -> HitFields.language(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
