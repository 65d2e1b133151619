package dev.speck.journal;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The journal's binary form of a hit: a format version, then each field in the order below (the
 * order of the flat record this format was first written for: it must never change).
 * Strings are a varint length (0 = null, n = n-1 bytes) and UTF-8; maps are a count and pairs.
 * Hand-written because it is the hot path: no reflection, no intermediate arrays beyond the string bytes.
 */
final class HitCodec {

    static final byte VERSION = 3;
    /**
     * Version 2 records (a value's amount a double) and version 1 ones (no signals either) still
     * decode. An older Speck refuses a version 3 record instead of reading its decimal as a double.
     */
    private static final byte VERSION_WITH_DOUBLE_VALUES = 2;
    private static final byte VERSION_WITHOUT_SIGNALS = 1;
    private static final HitKind[] KINDS = HitKind.values();
    /** How a value's amount is written: the byte before it. */
    private static final byte NO_AMOUNT = 0;
    private static final byte DOUBLE_AMOUNT = 1;
    private static final byte DECIMAL_AMOUNT = 2;

    private HitCodec() {
    }

    /** Writes the hit at the buffer's position; throws BufferOverflowException when it does not fit. */
    static void encode(Hit hit, ByteBuffer out) {
        out.put(VERSION);
        out.putLong(hit.receivedAt());
        out.put((byte) hit.kind().ordinal());
        putString(out, hit.pixel());
        putString(out, hit.name());
        Hit.Page page = hit.page();
        putString(out, page.url());
        putString(out, page.referrer());
        putString(out, page.title());
        Hit.Client client = hit.client();
        putString(out, client.ip());
        putString(out, client.userAgent());
        putMap(out, client.clientHints());
        putString(out, client.language());
        putString(out, client.screen());
        putString(out, client.timeZone());
        putString(out, client.cdnCountry());
        java.math.BigDecimal amount = hit.value().amount();
        if (amount == null) {
            out.put(NO_AMOUNT);
        } else {
            out.put(DECIMAL_AMOUNT);
            putString(out, amount.toString()); // exact, scale and all: decodes to an equal BigDecimal
        }
        putString(out, hit.value().currency());
        putString(out, hit.email().campaign());
        putString(out, hit.email().recipient());
        putString(out, hit.link().code());
        putMap(out, hit.props());
        putMap(out, hit.signals());
    }

    /** Reads one hit; throws IllegalArgumentException when the bytes are not a hit of a known version. */
    static Hit decode(ByteBuffer in) {
        try {
            byte version = in.get();
            if (version != VERSION && version != VERSION_WITH_DOUBLE_VALUES && version != VERSION_WITHOUT_SIGNALS) {
                throw new IllegalArgumentException("unknown journal record version " + version);
            }
            long receivedAt = in.getLong();
            int kindOrdinal = in.get();
            if (kindOrdinal < 0 || kindOrdinal >= KINDS.length) {
                throw new IllegalArgumentException("unknown hit kind " + kindOrdinal);
            }
            // Java evaluates arguments left to right: each group reads its fields in the order written.
            return new Hit(receivedAt, KINDS[kindOrdinal], getString(in), getString(in),
                    new Hit.Page(getString(in), getString(in), getString(in)),
                    new Hit.Client(getString(in), getString(in), getMap(in), getString(in), getString(in),
                            getString(in), getString(in)),
                    value(amount(in), getString(in)),
                    email(getString(in), getString(in)), link(getString(in)), getMap(in),
                    version == VERSION_WITHOUT_SIGNALS ? Map.of() : getMap(in));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated journal record", e);
        }
    }

    /** A value's amount: none, a double (records written before values were decimals) or decimal text. */
    private static java.math.BigDecimal amount(ByteBuffer in) {
        byte kind = in.get();
        return switch (kind) {
            case NO_AMOUNT -> null;
            case DOUBLE_AMOUNT -> java.math.BigDecimal.valueOf(in.getDouble()); // its shortest decimal: what was sent
            case DECIMAL_AMOUNT -> {
                try {
                    yield new java.math.BigDecimal(getString(in));
                } catch (NumberFormatException | NullPointerException e) {
                    throw new IllegalArgumentException("a value that is no decimal");
                }
            }
            default -> throw new IllegalArgumentException("unknown value form " + kind);
        };
    }

    // The groups most hits do not carry are shared constants, not one empty record per decoded hit.
    private static Hit.Value value(java.math.BigDecimal amount, String currency) {
        return amount == null && currency == null ? Hit.Value.NONE : new Hit.Value(amount, currency);
    }

    private static Hit.Email email(String campaign, String recipient) {
        return campaign == null && recipient == null ? Hit.Email.NONE : new Hit.Email(campaign, recipient);
    }

    private static Hit.Link link(String code) {
        return code == null ? Hit.Link.NONE : new Hit.Link(code);
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, and copies without allocating
    private static void putString(ByteBuffer out, String s) {
        if (s == null) {
            putVarint(out, 0);
            return;
        }
        int length = s.length();
        if (out.hasArray() && isAscii(s)) { // most fields of most hits: written straight into the record
            putVarint(out, length + 1);
            if (out.remaining() < length) {
                throw new java.nio.BufferOverflowException();
            }
            s.getBytes(0, length, out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + length);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putVarint(out, bytes.length + 1);
        out.put(bytes);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String getString(ByteBuffer in) {
        int n = getVarint(in);
        if (n == 0) {
            return null;
        }
        int len = n - 1;
        if (len > in.remaining()) {
            throw new IllegalArgumentException("string longer than record");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }

    private static void putMap(ByteBuffer out, Map<String, String> map) {
        putVarint(out, map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            putString(out, e.getKey());
            putString(out, e.getValue());
        }
    }

    private static Map<String, String> getMap(ByteBuffer in) {
        int n = getVarint(in);
        if (n == 0) {
            return Map.of();
        }
        if (n > in.remaining()) {
            throw new IllegalArgumentException("map larger than record");
        }
        Map<String, String> map = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            map.put(getString(in), getString(in));
        }
        return map;
    }

    private static void putVarint(ByteBuffer out, int v) {
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int getVarint(ByteBuffer in) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = in.get();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw new IllegalArgumentException("negative length");
                }
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

}
