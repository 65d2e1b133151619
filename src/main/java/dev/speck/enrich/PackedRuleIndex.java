package dev.speck.enrich;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * YAUAA's rule index (parse-tree path to the rule actions listening to it) with its keys packed
 * into one byte array: ~198,000 keys of ~60 characters each cost ~28 MB as a {@code LinkedHashMap}
 * of Strings (the characters, then a String, an array header and a map entry per key), ~15 MB here.
 *
 * <p>Read-only: once the analyzer is built, YAUAA only calls {@link #get} on it (with a lower-cased
 * path, for each node of a parse tree; most of them miss, and a miss compares hashes only). Keys are
 * Latin-1 (YAUAA's rules are ASCII); {@link #of} gives null for a map with any other key, which is
 * then kept as it is. Iteration keeps the original order. {@link #clear} (YAUAA's destroy) empties it.
 */
final class PackedRuleIndex extends AbstractMap<String, Set<Object>> {

    private byte[] chars;
    /** Key i is chars[starts[i] .. starts[i + 1]). */
    private int[] starts;
    private int[] hashes;
    private Object[] values;
    /** Open addressing, linear probing: key index + 1, 0 for an empty slot; at most half full. */
    private int[] slots;

    private PackedRuleIndex(byte[] chars, int[] starts, int[] hashes, Object[] values, int[] slots) {
        this.chars = chars;
        this.starts = starts;
        this.hashes = hashes;
        this.values = values;
        this.slots = slots;
    }

    /** The map packed, or null when a key is not Latin-1 (or null). */
    static PackedRuleIndex of(Map<String, ? extends Set<?>> map) {
        int n = map.size();
        long length = 0;
        for (String key : map.keySet()) {
            if (key == null || !isLatin1(key)) {
                return null;
            }
            length += key.length();
        }
        if (length > Integer.MAX_VALUE - 16) {
            return null;
        }
        byte[] chars = new byte[(int) length];
        int[] starts = new int[n + 1];
        int[] hashes = new int[n];
        Object[] values = new Object[n];
        int[] slots = new int[tableSize(n)];
        int i = 0;
        int at = 0;
        for (Map.Entry<String, ? extends Set<?>> entry : map.entrySet()) {
            String key = entry.getKey();
            starts[i] = at;
            for (int c = 0; c < key.length(); c++) {
                chars[at++] = (byte) key.charAt(c);
            }
            hashes[i] = key.hashCode();
            values[i] = entry.getValue();
            int slot = spread(hashes[i]) & (slots.length - 1);
            while (slots[slot] != 0) {
                slot = (slot + 1) & (slots.length - 1);
            }
            slots[slot] = i + 1;
            i++;
        }
        starts[n] = at;
        return new PackedRuleIndex(chars, starts, hashes, values, slots);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<Object> get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : (Set<Object>) values[index];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public void clear() {
        chars = new byte[0];
        starts = new int[1];
        hashes = new int[0];
        values = new Object[0];
        slots = new int[1];
    }

    @Override
    public Set<Entry<String, Set<Object>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Set<Object>>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, Set<Object>> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keyAt(i), (Set<Object>) values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    private int indexOf(Object key) {
        if (!(key instanceof String text)) {
            return -1;
        }
        int hash = text.hashCode();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int i = slots[slot] - 1;
            if (hashes[i] == hash && matches(i, text)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(int i, String text) {
        int from = starts[i];
        if (starts[i + 1] - from != text.length()) {
            return false;
        }
        for (int c = 0; c < text.length(); c++) {
            if (text.charAt(c) != (char) (chars[from + c] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("deprecation") // String(byte[], hibyte, offset, count): Latin-1 bytes as they are
    private String keyAt(int i) {
        return new String(chars, 0, starts[i], starts[i + 1] - starts[i]);
    }

    private static boolean isLatin1(String key) {
        for (int c = 0; c < key.length(); c++) {
            if (key.charAt(c) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** A power of two at least twice the count: a miss probes ~1.4 slots on average. */
    private static int tableSize(int n) {
        return Math.max(2, Integer.highestOneBit(Math.max(1, n) * 2 - 1) << 1);
    }

    /** String hashes of similar paths differ mostly in their low bits' neighbours: spread the high ones down. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
