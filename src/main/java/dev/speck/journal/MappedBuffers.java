package dev.speck.journal;

import io.netty.util.internal.PlatformDependent;

import java.nio.MappedByteBuffer;

/** Unmaps a released segment at once rather than when the garbage collector gets to it: keeps RSS flat. */
final class MappedBuffers {

    private MappedBuffers() {
    }

    static void unmap(MappedByteBuffer buffer) {
        try {
            PlatformDependent.freeDirectBuffer(buffer);
        } catch (Throwable ignored) {
            // Not every JDK lets us; the mapping then goes with the buffer's garbage collection.
        }
    }
}
