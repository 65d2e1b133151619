package dev.speck.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One preallocated, memory-mapped journal file. Records are {@code [int length][int crc32c][payload]};
 * a length of 0 marks the end of what was written. The writer publishes how far readers may read
 * with a release store, so the reader never sees a half-written record and no thread is woken per hit.
 */
final class Segment {

    static final int HEADER_BYTES = 8;

    final String lane;
    final long number;
    final Path file;
    final int capacity;
    private final MappedByteBuffer buffer;
    private final MappedBuffers.Mapping mapping;
    /** Bytes that readers may read; only the writer advances it. */
    private final AtomicLong published;
    private volatile boolean sealed;
    /** Writer-only: where the next record goes. */
    int writePosition;
    /** Maintenance-only: how far the mapping has been forced to disk. */
    long forcedPosition;
    private boolean released;
    /** Reader-only: an earlier run left bytes after its last whole record, not yet reported. */
    private boolean tornTail;

    private Segment(String lane, long number, Path file, MappedBuffers.Mapping mapping, long published, boolean sealed) {
        this.lane = lane;
        this.number = number;
        this.file = file;
        this.mapping = mapping;
        this.buffer = mapping.buffer();
        this.capacity = buffer.capacity();
        this.published = new AtomicLong(published);
        this.sealed = sealed;
        this.writePosition = (int) published;
        this.forcedPosition = published;
    }

    /** Creates a new segment file, zero-filled so that a full disk fails here and not inside a mapped write. */
    static Segment allocate(Path dir, String lane, long number, int capacity) throws IOException {
        Path file = dir.resolve(fileName(number));
        Path temp = dir.resolve(fileName(number) + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            long written = 0;
            while (written < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - written));
                written += ch.write(zeros, written);
            }
            // No force here: the file system reserves the blocks at write time (a full disk fails
            // above), and forcing 32 MB of zeros would only slow start-up and roll-overs.
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Segment(lane, number, file, map(file, capacity), 0, false);
    }

    /** Opens a segment left by an earlier run: read-only in spirit, readers stop at its first empty or bad record. */
    static Segment recover(Path file, String lane, long number) throws IOException {
        long size = Files.size(file);
        int capacity = (int) Math.min(size, Integer.MAX_VALUE);
        MappedBuffers.Mapping mapping = map(file, capacity);
        MappedByteBuffer buffer = mapping.buffer();
        int end = writtenEnd(buffer);
        Segment segment = new Segment(lane, number, file, mapping, end, true);
        // Segments are zero-filled ahead, so anything after the last record is a write cut off (or damage).
        segment.tornTail = end + HEADER_BYTES <= capacity && buffer.getLong(end) != 0;
        return segment;
    }

    /**
     * Where the records of an earlier run end: walks the length headers to the first empty one.
     * Checksums are verified later, by the reader.
     */
    private static int writtenEnd(ByteBuffer buffer) {
        int at = 0;
        while (at + HEADER_BYTES <= buffer.capacity()) {
            int length = buffer.getInt(at);
            if (length <= 0 || length > buffer.capacity() - at - HEADER_BYTES) {
                break;
            }
            at += HEADER_BYTES + length;
        }
        return at;
    }

    private static MappedBuffers.Mapping map(Path file, int capacity) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return MappedBuffers.map(ch, capacity);
        }
    }

    static String fileName(long number) {
        return String.format("%020d.seg", number);
    }

    static long numberOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".seg".length()));
    }

    /** A segment an earlier run allocated ahead and never wrote to: zero-filled, not one record or torn write. */
    boolean neverWritten() {
        return published() == 0 && !tornTail;
    }

    /** True once when an earlier run left an incomplete record after the last whole one. */
    boolean takeTornTail() {
        boolean torn = tornTail;
        tornTail = false;
        return torn;
    }

    private ByteBuffer writerView;

    /** The writer's own view, made once: it only uses absolute puts. */
    ByteBuffer writerView() {
        if (writerView == null) {
            writerView = buffer.duplicate();
        }
        return writerView;
    }

    /** A view for one thread's exclusive use (buffers' positions are not thread-safe). */
    ByteBuffer view() {
        return buffer.duplicate();
    }

    long published() {
        return published.getAcquire();
    }

    void publish(int position) {
        published.setRelease(position);
    }

    boolean sealed() {
        return sealed;
    }

    void seal() {
        publish(writePosition);
        sealed = true;
    }

    /** Forces what was published since the last call to the storage device (for power loss). */
    synchronized void forcePublished() {
        if (released) {
            return;
        }
        long upTo = published();
        if (upTo > forcedPosition) {
            buffer.force((int) forcedPosition, (int) (upTo - forcedPosition));
            forcedPosition = upTo;
        }
    }

    /**
     * Zeroes the checksum and payload of the whole records before {@code upTo}, keeping their
     * lengths; for erasure. Only for bytes no reader will read again and no writer touches.
     */
    synchronized void scrub(long upTo) {
        if (released) {
            return;
        }
        ByteBuffer view = buffer.duplicate();
        int at = 0;
        while (at + HEADER_BYTES <= upTo) {
            int length = view.getInt(at);
            if (length <= 0 || at + HEADER_BYTES + length > upTo) {
                break;
            }
            view.put(at + 4, new byte[4 + length]);
            at += HEADER_BYTES + length;
        }
        if (at > 0) {
            buffer.force(0, at);
        }
    }

    /**
     * Writes the records published so far into {@code target} (a backup): exactly the bytes a reader
     * may read, so a record being written at this moment is never half copied. Nothing when the
     * segment was deleted meanwhile (its hits are stored) or holds nothing yet.
     *
     * @return whether a file was written
     */
    synchronized boolean copyPublishedTo(Path target) throws IOException {
        int end = (int) published();
        if (released || end == 0) {
            return false;
        }
        ByteBuffer view = buffer.duplicate().position(0).limit(end);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (view.hasRemaining()) {
                ch.write(view);
            }
            ch.force(true);
        }
        return true;
    }

    /** After this no thread may touch the buffer: an access to an unmapped buffer crashes the JVM. */
    synchronized void unmapAndDelete() throws IOException {
        released = true;
        try {
            mapping.unmap();
        } catch (RuntimeException e) {
            // still mapped until the buffer is collected; the file goes anyway
        }
        Files.deleteIfExists(file);
    }
}
