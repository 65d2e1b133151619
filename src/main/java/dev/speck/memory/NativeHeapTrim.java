package dev.speck.memory;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Hands the C heap's free pages back to the system: glibc's {@code malloc_trim}, through the JVM's
 * own {@code System.trim_native_heap} diagnostic command (the one {@code jcmd} runs).
 *
 * <p>Why: under a burst the JIT compilers, DuckDB and Netty allocate and free native memory in
 * glibc's arenas, and glibc keeps freed arena pages resident until asked. Measured after a load
 * run: the heap was back to its size after start, DuckDB held 7 MB, and still about 55 MB more
 * anonymous memory stayed resident than before the load. The JVM can trim on a timer
 * ({@code -XX:TrimNativeHeapInterval}), but that would also run under traffic; Speck trims once
 * per quiet spell, with the idle heap trim.
 */
final class NativeHeapTrim {

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private NativeHeapTrim() {
    }

    /**
     * Trims once.
     *
     * @return the JVM's own account (for example "Trim native heap: RSS+Swap: 312M->262M (-50M)"),
     *     or empty where the command does not exist (not HotSpot, or not glibc: then it says so)
     */
    static Optional<String> run() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND),
                    "systemTrimNativeHeap", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return Optional.ofNullable(out).map(o -> o.toString().strip());
        } catch (JMException | RuntimeException unavailable) {
            return Optional.empty();
        }
    }
}
