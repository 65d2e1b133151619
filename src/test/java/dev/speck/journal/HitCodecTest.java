package dev.speck.journal;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HitCodecTest {

    private static Hit roundTrip(Hit hit) {
        ByteBuffer buf = ByteBuffer.allocate(MappedJournal.MAX_RECORD_BYTES);
        HitCodec.encode(hit, buf);
        buf.flip();
        Hit decoded = HitCodec.decode(buf);
        assertThat(buf.hasRemaining()).as("bytes left after the hit").isFalse();
        return decoded;
    }

    @Test
    void aHitWithEveryFieldSetComesBackEqual() {
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put("sec-ch-ua", "\"Chromium\";v=\"124\"");
        hints.put("sec-ch-ua-platform", "\"Linux\"");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("plan", "pro");
        props.put("seats", "12");
        Hit hit = new Hit(1_741_953_600_123L, HitKind.GOAL, "px_shop", "purchase", "https://shop.example/thanks",
                "https://www.google.com/", "Thank you", "2001:db8::1", "Mozilla/5.0", hints, "en-US", "390x844",
                "America/New_York", "US", -0.5, "USD", "spring-sale", "r-1234", "abcdefg", props);

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void textBeyondAsciiComesBackEqualNextToAsciiText() {
        Hit hit = new Hit(9L, HitKind.EVENT, "p", "Bestellung über 100 €", "https://shop.example/caf\u00e9",
                null, "Grüße 🎉 ÿ", "192.0.2.1", "Mozilla/5.0", null, "de", null, null, null, null, null, null, null,
                null, Map.of("größe", "XL", "size", "XL"));

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void consentAndIdentitySignalsSurviveTheJournal() {
        Hit hit = new Hit(5L, HitKind.EVENT, "p", "identify", null, null, null, "192.0.2.1", "ua", null, null, null,
                null, null, null, null, null, null, null, null)
                .withSignal(dev.speck.hit.Signals.CONSENT, "granted")
                .withSignal(dev.speck.hit.Signals.IDENTITY, "cust-42");

        Hit decoded = roundTrip(hit);

        assertThat(decoded).isEqualTo(hit);
        assertThat(decoded.signals()).containsEntry("identity", "cust-42").containsEntry("consent", "granted");
    }

    @Test
    void aRecordWrittenBeforeSignalsExistedStillDecodes() {
        Hit hit = new Hit(7L, HitKind.PAGE_VIEW, "p", null, "https://a.example/", null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, Map.of("k", "v"));
        ByteBuffer buf = ByteBuffer.allocate(MappedJournal.MAX_RECORD_BYTES);
        HitCodec.encode(hit, buf);
        buf.flip();
        // A version-1 record is the same bytes without the trailing (empty) signals map.
        ByteBuffer v1 = ByteBuffer.allocate(buf.remaining() - 1);
        v1.put((byte) 1);
        v1.put(buf.slice(1, buf.remaining() - 2));
        v1.flip();

        assertThat(HitCodec.decode(v1)).isEqualTo(hit);
    }

    @Test
    void nullFieldsAndEmptyMapsStayNullAndEmpty() {
        Hit hit = new Hit(0L, HitKind.PAGE_VIEW, "p", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);

        Hit decoded = roundTrip(hit);

        assertThat(decoded).isEqualTo(hit);
        assertThat(decoded.value()).isNull();
        assertThat(decoded.url()).isNull();
        assertThat(decoded.props()).isEmpty();
        assertThat(decoded.clientHints()).isEmpty();
    }

    @Test
    void emptyStringsAreNotConfusedWithNull() {
        Hit hit = new Hit(1L, HitKind.EVENT, "p", "", "", null, "", null, "", Map.of(), null, null, null, null, 0.0,
                null, null, null, null, Map.of("", ""));

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void unicodeTextSurvivesTheRoundTrip() {
        String text = "Grüße aus Zürich – 東京 🚀 ﷽ e\u0301";
        Hit hit = new Hit(5L, HitKind.EVENT, "px", text, "https://example.com/ü?q=" + text, null, text, null,
                text, Map.of("sec-ch-ua", text), "de-CH", null, "Europe/Zurich", null, 1e12, "EUR", text, text, text,
                Map.of(text, text, "emoji", "👍🏽"));

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void mapsKeepTheirOrderAndNullValues() {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            props.put("k" + (199 - i), i % 7 == 0 ? null : "v" + i);
        }
        Hit hit = new Hit(9L, HitKind.EVENT, "px", "many", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, props);

        Hit decoded = roundTrip(hit);

        assertThat(decoded.props()).containsExactlyEntriesOf(props);
        assertThat(decoded.props().get("k199")).isNull();
        assertThat(decoded.props()).containsKey("k199");
    }

    @Test
    void longStringsNeedingMultiByteLengthsComeBackWhole() {
        String title = "x".repeat(20_000); // a three-byte varint length
        String url = "https://example.com/" + "é".repeat(100); // a two-byte one
        Hit hit = new Hit(9L, HitKind.PAGE_VIEW, "px", null, url, null, title, null, null, null, null, null, null,
                null, null, null, null, null, null, null);

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void everyKindSurvives() {
        for (HitKind kind : HitKind.values()) {
            Hit hit = new Hit(1L, kind, "px", null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null);
            assertThat(roundTrip(hit).kind()).isEqualTo(kind);
        }
    }

    @Test
    void aHitLargerThanTheBufferOverflowsInsteadOfWritingPastIt() {
        Hit hit = new Hit(1L, HitKind.PAGE_VIEW, "px", null, null, null, "t".repeat(1000), null, null, null, null,
                null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> HitCodec.encode(hit, ByteBuffer.allocate(100)))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void truncatedOrForeignBytesAreRefusedAsNotAHit() {
        Hit hit = new Hit(1L, HitKind.EVENT, "px", "n", "https://a.example/", null, null, null, null, null, null,
                null, null, null, 3.0, null, null, null, null, Map.of("a", "b"));
        ByteBuffer buf = ByteBuffer.allocate(1024);
        HitCodec.encode(hit, buf);
        buf.flip();
        ByteBuffer truncated = ByteBuffer.wrap(buf.array(), 0, buf.limit() - 3).slice();
        ByteBuffer otherVersion = ByteBuffer.wrap(new byte[]{9, 0, 0, 0});
        ByteBuffer unknownKind = ByteBuffer.allocate(16).put(HitCodec.VERSION).putLong(1L).put((byte) 99).flip();

        assertThatThrownBy(() -> HitCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HitCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> HitCodec.decode(unknownKind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind");
    }
}
