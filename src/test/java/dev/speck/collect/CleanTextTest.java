package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CleanTextTest {

    @Test
    void controlCharactersBecomeOneSpaceInTextAndAreRemovedFromUrls() {
        assertThat(CleanText.text("Sale\r\nNow\tOn\u0085Here\u007f!")).isEqualTo("Sale Now On Here !");
        assertThat(CleanText.text("\u0000\u001f Title \u2028")).isEqualTo("Title");
        assertThat(CleanText.text("\r\n\t")).isNull();
        assertThat(CleanText.url("https://a.example/x\r\ny\u0000z")).isEqualTo("https://a.example/xyz");
    }

    @Test
    void spoofingCharactersGoButJoinersAndDirectionMarksStay() {
        assertThat(CleanText.text("invoice\u202Efdp.exe")).isEqualTo("invoice fdp.exe");
        assertThat(CleanText.text("a\u200Bb\u2060c\uFEFF\u2066d\u2069")).isEqualTo("a b c d");
        String family = "👨\u200D👩\u200D👧";
        String persian = "می\u200Cخواهم";
        String hebrew = "\u200Fשלום\u200E";
        assertThat(CleanText.text(family)).isSameAs(family);
        assertThat(CleanText.text(persian)).isSameAs(persian);
        assertThat(CleanText.text(hebrew)).isSameAs(hebrew);
    }

    @Test
    void aCleanHitIsReturnedAsItIsWithoutACopy() {
        Hit hit = Hit.of(1, HitKind.EVENT, "p").name("signup").page(new Hit.Page("https://a.example/", null, "Café 🎉"))
                .props(Map.of("plan", "pro")).build();
        assertThat(CleanText.hit(hit, new FieldDrops())).isSameAs(hit);
    }

    @Test
    void aPropertyNamedOnlyByControlCharactersIsDroppedAndANameOfNothingRefuses() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("\r\n", "x");
        props.put("plan\t", "pro\n");
        FieldDrops drops = new FieldDrops();
        Hit hit = CleanText.hit(Hit.of(1, HitKind.PAGE_VIEW, "p").props(props).build(), drops);
        assertThat(hit.props()).containsExactly(Map.entry("plan", "pro"));
        assertThat(drops.isEmpty()).isFalse();

        Hit nameless = Hit.of(1, HitKind.GOAL, "p").name("\u202E\r").build();
        assertThatThrownBy(() -> CleanText.hit(nameless, new FieldDrops())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
    }
}
