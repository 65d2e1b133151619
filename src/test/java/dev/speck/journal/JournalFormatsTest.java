package dev.speck.journal;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal an earlier Speck left behind (stopped or crashed before an upgrade) replays with the
 * current code, whatever record format each of its hits was written in: version 1 (no signals),
 * version 2 (a value's amount a double) and the current version 3, side by side in one segment.
 */
class JournalFormatsTest {

    @TempDir
    Path dir;

    /** A version-2 record (captured from that code; see HitCodecTest): a link click with no value. */
    private static final String V2_SPARSE = "0200000000000000070402700000000000000000000000000000000478797a0000";

    @Test
    void aSegmentWithRecordsOfEveryEarlierFormatReplaysEachHit() throws Exception {
        Hit pageView = Hit.of(1_741_953_600_000L, HitKind.PAGE_VIEW, "p").page(new Hit.Page("https://a.example/", null, null))
                .props(Map.of("k", "v")).build();
        byte[] v3PageView = encode(pageView);
        byte[] v1PageView = new byte[v3PageView.length - 1]; // version 1: no trailing (empty) signals map
        System.arraycopy(v3PageView, 0, v1PageView, 0, v1PageView.length);
        v1PageView[0] = 1;
        byte[] v2Sparse = HexFormat.of().parseHex(V2_SPARSE);
        Hit purchase = Hit.of(1_741_953_600_500L, HitKind.GOAL, "p").name("purchase")
                .value(new Hit.Value(new BigDecimal("20224.1"), "EUR")).build();
        byte[] v2Purchase = v2(purchase, "20224.1");

        Path lane = Files.createDirectories(dir.resolve("lane-0"));
        ByteBuffer segment = ByteBuffer.allocate(1 << 20);
        for (byte[] record : List.of(v1PageView, v2Sparse, v2Purchase, v3PageView)) {
            CRC32C crc = new CRC32C();
            crc.update(record);
            segment.putInt(record.length).putInt((int) crc.getValue()).put(record);
        }
        Files.write(lane.resolve(String.format("%020d.seg", 0)), segment.array());

        List<Hit> replayed = new ArrayList<>();
        try (MappedJournal journal = MappedJournal.open(dir, 1, 1 << 20, 64L << 20, Duration.ofMillis(20), List.of())) {
            JournalBatch batch = journal.poll(100);
            replayed.addAll(batch.hits());
            assertThat(batch.corruptRecords()).isZero();
        }
        assertThat(replayed).containsExactly(pageView,
                Hit.of(7L, HitKind.LINK_CLICK, "p").link(new Hit.Link("xyz")).build(), purchase, pageView);
        assertThat(replayed.get(2).value().amount()).as("a double amount read as the decimal it was sent as")
                .isEqualByComparingTo("20224.1");
    }

    private static byte[] encode(Hit hit) {
        ByteBuffer buf = ByteBuffer.allocate(MappedJournal.MAX_RECORD_BYTES);
        HitCodec.encode(hit, buf);
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    /**
     * The hit as version 2 wrote it: the current record with its version byte 2 and the amount as a
     * double (tag 1, 8 bytes) where version 3 writes decimal text (tag 2, its length, the digits).
     */
    private static byte[] v2(Hit hit, String amount) {
        String v3 = HexFormat.of().formatHex(encode(hit));
        String text = "02" + String.format("%02x", amount.length() + 1) // a string's length is written plus one (0: null)
                + HexFormat.of().formatHex(amount.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(v3).contains(text);
        String dbl = "01" + String.format("%016x", Double.doubleToLongBits(Double.parseDouble(amount)));
        return HexFormat.of().parseHex("02" + v3.substring(2).replace(text, dbl));
    }
}
