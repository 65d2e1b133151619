package dev.speck.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory (RSS), what an operator sees in {@code top}: heap, JVM, DuckDB's
 * native memory and mapped files together. Read from the {@code VmRSS} line of
 * {@code /proc/self/status} (in kB, whatever the page size); where there is no such file (not
 * Linux), the committed heap stands in for it.
 */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    static long bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) << 10;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // below
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}
