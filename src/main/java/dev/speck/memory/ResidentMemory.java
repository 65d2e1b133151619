package dev.speck.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory (RSS), what an operator sees in {@code top}: heap, JVM, DuckDB's
 * native memory and mapped files together. Read from {@code /proc/self/statm}; where there is no
 * such file (not Linux), the committed heap stands in for it.
 */
final class ResidentMemory {

    private static final Path STATM = Path.of("/proc/self/statm");
    /** The kernel's page size; 4 KiB on the machines Speck runs on (statm counts pages). */
    private static final long PAGE = 4096;

    private ResidentMemory() {
    }

    static long bytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE;
        } catch (IOException | RuntimeException notLinux) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        }
    }
}
