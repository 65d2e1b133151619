package dev.speck.journal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a journal file so that it can be unmapped at once when its segment is released, rather than
 * when the garbage collector gets to the buffer: a mapped segment's touched pages count towards
 * RSS, and an old buffer waits for a full collection that may never come (after a load burst,
 * hundreds of MB of deleted segments stayed mapped).
 *
 * <p>On JDK 22 and newer the mapping belongs to a shared {@code Arena} and closing it unmaps (a
 * later access throws instead of crashing). The foreign-memory API is a preview in Java 21, which
 * Speck still runs on, so it is reached through method handles; on 21 {@code Unsafe.invokeCleaner}
 * unmaps (no warning there). Netty's {@code PlatformDependent.freeDirectBuffer}, used before, cannot
 * free a mapped buffer on JDK 25 and did nothing.
 */
final class MappedBuffers {

    /** One file's mapping and how to unmap it; after {@link #unmap()} no thread may touch the buffer. */
    record Mapping(MappedByteBuffer buffer, Runnable unmapper) {
        void unmap() {
            unmapper.run();
        }
    }

    private static final Arenas ARENAS = Arenas.find();
    private static final Object UNSAFE = ARENAS == null ? unsafe() : null;

    private MappedBuffers() {
    }

    /** Maps {@code capacity} bytes of the open file from its start, read-write. */
    static Mapping map(FileChannel channel, int capacity) throws IOException {
        if (ARENAS != null) {
            return ARENAS.map(channel, capacity);
        }
        MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        return new Mapping(buffer, () -> invokeCleaner(buffer));
    }

    private static void invokeCleaner(ByteBuffer buffer) {
        if (UNSAFE == null) {
            return; // the mapping then goes with the buffer's garbage collection
        }
        try {
            UNSAFE.getClass().getMethod("invokeCleaner", ByteBuffer.class).invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // as above: unmapped when collected
        }
    }

    private static Object unsafe() {
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code FileChannel.map(mode, offset, size, Arena.ofShared())} and {@code Arena.close()}, found at run time. */
    private record Arenas(MethodHandle ofShared, MethodHandle map, MethodHandle asByteBuffer, MethodHandle close) {

        static Arenas find() {
            if (Runtime.version().feature() < 22) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                return new Arenas(
                        lookup.findStatic(arena, "ofShared", MethodType.methodType(arena)),
                        lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                                FileChannel.MapMode.class, long.class, long.class, arena)),
                        lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)),
                        lookup.findVirtual(arena, "close", MethodType.methodType(void.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        Mapping map(FileChannel channel, int capacity) throws IOException {
            Object arena = invoke(ofShared);
            try {
                Object mapped = invoke(map, channel, FileChannel.MapMode.READ_WRITE, 0L, (long) capacity, arena);
                MappedByteBuffer buffer = (MappedByteBuffer) invoke(asByteBuffer, mapped);
                return new Mapping(buffer, () -> {
                    try {
                        invoke(close, arena);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (IOException | RuntimeException e) {
                invoke(close, arena);
                throw e;
            }
        }

        private static Object invoke(MethodHandle handle, Object... args) throws IOException {
            try {
                return handle.invokeWithArguments(args);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
