package dev.speck.journal;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
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
        Hit hit = Hit.of(1_741_953_600_123L, HitKind.GOAL, "px_shop").name("purchase")
                .page(new Hit.Page("https://shop.example/thanks", "https://www.google.com/", "Thank you"))
                .client(new Hit.Client("2001:db8::1", "Mozilla/5.0", hints, "en-US", "390x844", "America/New_York", "US"))
                .value(new Hit.Value(new java.math.BigDecimal("-0.5"), "USD")).email(new Hit.Email("spring-sale", "r-1234"))
                .link(new Hit.Link("abcdefg")).props(props).build();

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void textBeyondAsciiComesBackEqualNextToAsciiText() {
        Hit hit = Hit.of(9L, HitKind.EVENT, "p").name("Bestellung über 100 €")
                .page(new Hit.Page("https://shop.example/caf\u00e9", null, "Grüße 🎉 ÿ"))
                .client(new Hit.Client("192.0.2.1", "Mozilla/5.0", null, "de", null, null, null))
                .props(Map.of("größe", "XL", "size", "XL")).build();

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void consentAndIdentitySignalsSurviveTheJournal() {
        Hit hit = Hit.of(5L, HitKind.EVENT, "p").name("identify").client(new Hit.Client("192.0.2.1", "ua")).build()
                .withSignal(dev.speck.hit.Signals.CONSENT, "granted")
                .withSignal(dev.speck.hit.Signals.IDENTITY, "cust-42");

        Hit decoded = roundTrip(hit);

        assertThat(decoded).isEqualTo(hit);
        assertThat(decoded.signals()).containsEntry("identity", "cust-42").containsEntry("consent", "granted");
    }

    /**
     * The bytes the flat 21-field record wrote before hits were grouped (captured from that code):
     * journals written then must still replay. Since values are decimals (version 3), a record is
     * the same but for its version byte and the value's amount, written as decimal text.
     */
    @Test
    void theGroupedHitIsWrittenByteForByteAsTheFlatRecordWasButForItsDecimalValue() {
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put("sec-ch-ua", "\"Chromium\";v=\"124\"");
        hints.put("sec-ch-ua-platform", "\"Linux\"");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("plan", "pro");
        props.put("größe", "XL");
        Hit full = Hit.of(1_741_953_600_123L, HitKind.GOAL, "px_shop").name("purchase")
                .page(new Hit.Page("https://shop.example/thanks", "https://www.google.com/", "Thank you"))
                .client(new Hit.Client("2001:db8::1", "Mozilla/5.0", hints, "en-US", "390x844", "America/New_York", "US"))
                .value(new Hit.Value(new java.math.BigDecimal("-0.5"), "USD")).email(new Hit.Email("spring-sale", "r-1234"))
                .link(new Hit.Link("abcdefg")).props(props).build()
                .withSignal("consent", "granted").withSignal("identity", "cust-42");
        Hit sparse = Hit.of(7L, HitKind.LINK_CLICK, "p").link(new Hit.Link("xyz")).build();
        String fullBytes = "020000019594868a7b020870785f73686f700970757263686173651c68747470733a2f2f73686f702e6578616d"
                + "706c652f7468616e6b731868747470733a2f2f7777772e676f6f676c652e636f6d2f0a5468616e6b20796f750c3230"
                + "30313a6462383a3a310c4d6f7a696c6c612f352e30020a7365632d63682d756113224368726f6d69756d223b763d22"
                + "31323422137365632d63682d75612d706c6174666f726d08224c696e75782206656e2d5553083339307838343411416d"
                + "65726963612f4e65775f596f726b03555301bfe0000000000000045553440c737072696e672d73616c6507722d313233"
                + "3408616263646566670205706c616e0470726f086772c3b6c39f6503584c0208636f6e73656e74086772616e74656409"
                + "6964656e7469747908637573742d3432";
        String sparseBytes = "0200000000000000070402700000000000000000000000000000000478797a0000";

        assertThat(hex(full)).isEqualTo("03" + fullBytes.substring(2).replace("01bfe0000000000000", "02052d302e35"));
        assertThat(hex(sparse)).isEqualTo("03" + sparseBytes.substring(2));
        assertThat(HitCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(fullBytes)))).isEqualTo(full);
        assertThat(HitCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(sparseBytes)))).isEqualTo(sparse);
    }

    private static String hex(Hit hit) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        HitCodec.encode(hit, buf);
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void aRecordWrittenBeforeSignalsExistedStillDecodes() {
        Hit hit = Hit.of(7L, HitKind.PAGE_VIEW, "p").page(new Hit.Page("https://a.example/", null, null))
                .props(Map.of("k", "v")).build();
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
        Hit hit = Hit.of(0L, HitKind.PAGE_VIEW, "p").build();

        Hit decoded = roundTrip(hit);

        assertThat(decoded).isEqualTo(hit);
        assertThat(decoded.value().amount()).isNull();
        assertThat(decoded.page().url()).isNull();
        assertThat(decoded.props()).isEmpty();
        assertThat(decoded.client().clientHints()).isEmpty();
    }

    @Test
    void emptyStringsAreNotConfusedWithNull() {
        Hit hit = Hit.of(1L, HitKind.EVENT, "p").name("").page(new Hit.Page("", null, ""))
                .client(new Hit.Client(null, "")).value(new Hit.Value(new java.math.BigDecimal("0.0"), null)).props(Map.of("", "")).build();

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void unicodeTextSurvivesTheRoundTrip() {
        String text = "Grüße aus Zürich – 東京 🚀 ﷽ e\u0301";
        Hit hit = Hit.of(5L, HitKind.EVENT, "px").name(text).page(new Hit.Page("https://example.com/ü?q=" + text, null, text))
                .client(new Hit.Client(null, text, Map.of("sec-ch-ua", text), "de-CH", null, "Europe/Zurich", null))
                .value(new Hit.Value(new java.math.BigDecimal("1e12"), "EUR")).email(new Hit.Email(text, text)).link(new Hit.Link(text))
                .props(Map.of(text, text, "emoji", "👍🏽")).build();

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void mapsKeepTheirOrderAndNullValues() {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            props.put("k" + (199 - i), i % 7 == 0 ? null : "v" + i);
        }
        Hit hit = Hit.of(9L, HitKind.EVENT, "px").name("many").props(props).build();

        Hit decoded = roundTrip(hit);

        assertThat(decoded.props()).containsExactlyEntriesOf(props);
        assertThat(decoded.props().get("k199")).isNull();
        assertThat(decoded.props()).containsKey("k199");
    }

    @Test
    void longStringsNeedingMultiByteLengthsComeBackWhole() {
        String title = "x".repeat(20_000); // a three-byte varint length
        String url = "https://example.com/" + "é".repeat(100); // a two-byte one
        Hit hit = Hit.of(9L, HitKind.PAGE_VIEW, "px").page(new Hit.Page(url, null, title)).build();

        assertThat(roundTrip(hit)).isEqualTo(hit);
    }

    @Test
    void everyKindSurvives() {
        for (HitKind kind : HitKind.values()) {
            Hit hit = Hit.of(1L, kind, "px").build();
            assertThat(roundTrip(hit).kind()).isEqualTo(kind);
        }
    }

    @Test
    void aHitLargerThanTheBufferOverflowsInsteadOfWritingPastIt() {
        Hit hit = Hit.of(1L, HitKind.PAGE_VIEW, "px").page(new Hit.Page(null, null, "t".repeat(1000))).build();

        assertThatThrownBy(() -> HitCodec.encode(hit, ByteBuffer.allocate(100)))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void truncatedOrForeignBytesAreRefusedAsNotAHit() {
        Hit hit = Hit.of(1L, HitKind.EVENT, "px").name("n").page(new Hit.Page("https://a.example/", null, null))
                .value(new Hit.Value(new java.math.BigDecimal("3.0"), null)).props(Map.of("a", "b")).build();
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
