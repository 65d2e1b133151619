package dev.speck.collect;

import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HitFieldsTest {

    @Test
    void timeZonesAreIanaNames() {
        for (String ok : List.of("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14")) {
            assertThat(HitFields.isZone(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("1Europe", "Europe/Berlin;drop", "Europe Berlin", "/Berlin", "É", "A".repeat(65), "+05:00")) {
            assertThat(HitFields.isZone(bad)).as(bad).isFalse();
        }
        assertThat(HitFields.isZone("A".repeat(64))).isTrue();
    }

    @Test
    void languagesAreTagsOfUpToFourSubtags() {
        for (String ok : List.of("en", "de-CH", "zh-Hant-TW", "sr-Latn-RS-x1", "i-klingon", "es-419")) {
            assertThat(HitFields.isLanguage(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("en-", "-en", "en--US", "e1", "123", "en-US-a-b-c", "abcdefghi", "en-abcdefghi", "en_US",
                "de;q=1")) {
            assertThat(HitFields.isLanguage(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aBadOptionalFieldIsDroppedAndNoted() {
        FieldDrops drops = new FieldDrops();
        assertThat(HitFields.zone("+05:00", drops)).isNull();
        assertThat(HitFields.screen("abc", drops)).isNull();
        assertThat(HitFields.language("en_US", drops)).isNull();
        assertThat(HitFields.consent("maybe", drops)).isNull();
        assertThat(HitFields.firstPartyId("short", drops)).isNull();
        assertThat(HitFields.url("javascript:alert(1)", "url", drops)).isNull();
        assertThat(HitFields.referrer("file:///etc/passwd", drops)).isNull();
        assertThat(HitFields.value(HitKind.EVENT, "abc", drops)).isNull();
        assertThat(HitFields.value(HitKind.PAGE_VIEW, "1e300", drops)).isNull();
        assertThat(HitFields.currency(HitKind.EVENT, java.math.BigDecimal.valueOf(5), "euro", drops)).isNull();
        assertThat(drops.isEmpty()).isFalse();
    }

    @Test
    void goodAndAbsentOptionalFieldsDropNothing() {
        FieldDrops drops = new FieldDrops();
        assertThat(HitFields.zone("Europe/Berlin", drops)).isEqualTo("Europe/Berlin");
        assertThat(HitFields.zone("", drops)).isNull();
        assertThat(HitFields.zone(null, drops)).isNull();
        assertThat(HitFields.screen("1920x1080", drops)).isEqualTo("1920x1080");
        assertThat(HitFields.language("de-CH", drops)).isEqualTo("de-CH");
        assertThat(HitFields.consent("granted", drops)).isEqualTo("granted");
        assertThat(HitFields.firstPartyId("abcdefghijklmnop", drops)).isEqualTo("abcdefghijklmnop");
        assertThat(HitFields.url("HTTPS://shop.example/", "url", drops)).isEqualTo("HTTPS://shop.example/");
        assertThat(HitFields.value(HitKind.GOAL, "49.9", drops)).isEqualTo(new java.math.BigDecimal("49.9"));
        assertThat(HitFields.currency(HitKind.GOAL, new java.math.BigDecimal("49.9"), "EUR", drops)).isEqualTo("EUR");
        assertThat(drops.isEmpty()).isTrue();
    }

    @Test
    void appReferrersAreKeptAsReferrers() {
        FieldDrops drops = new FieldDrops();
        assertThat(HitFields.referrer("android-app://com.google.android.gm/", drops)).isEqualTo("android-app://com.google.android.gm/");
        assertThat(HitFields.referrer("ios-app://284882215/fb/profile", drops)).isEqualTo("ios-app://284882215/fb/profile");
        assertThat(drops.isEmpty()).isTrue();
        assertThat(HitFields.referrer("android-app:///", drops)).as("an app referrer naming no app").isNull();
        assertThat(drops.isEmpty()).isFalse();
    }

    @Test
    void aGoalsValueAndItsCurrencyAreRequiredToBeRight() {
        FieldDrops drops = new FieldDrops();
        assertThatThrownBy(() -> HitFields.value(HitKind.GOAL, "abc", drops)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> HitFields.value(HitKind.GOAL, "NaN", drops)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HitFields.value(HitKind.GOAL, "1e13", drops)).hasMessageContaining("finite");
        assertThatThrownBy(() -> HitFields.value(HitKind.GOAL, "0x10", drops)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HitFields.currency(HitKind.GOAL, java.math.BigDecimal.valueOf(5), "euro", drops)).hasMessageContaining("ISO 4217");
        assertThat(HitFields.currency(HitKind.GOAL, null, "euro", drops)).as("a currency without a value").isNull();
    }

    @Test
    void overTheSizeLimitStillRefuses() {
        FieldDrops drops = new FieldDrops();
        assertThatThrownBy(() -> HitFields.referrer("https://a.example/" + "x".repeat(CollectSettings.MAX_URL), drops))
                .isInstanceOf(Limits.TooLarge.class);
    }
}
