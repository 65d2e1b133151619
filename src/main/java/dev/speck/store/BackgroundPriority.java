package dev.speck.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Lowers the CPU priority (Linux nice) of the threads that enrich and store, so that under a burst
 * the event loops answering hits get the cores first and the journal absorbs the backlog; when the
 * burst passes, the loader has the machine to itself and catches up. Any user may lower the
 * priority of their own threads. Where this is not Linux, it does nothing.
 */
public final class BackgroundPriority {

    private static final Logger LOG = Logger.getLogger(BackgroundPriority.class.getName());
    static final int NICE = 10;

    private BackgroundPriority() {
    }

    /** Lowers the calling thread's priority. */
    public static void lowerCurrentThread() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            renice(Set.of(self.getFileName().toString()));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.fine("cannot lower the loader's priority here: " + e.getMessage());
        }
    }

    /** The ids of this process's threads now, to find the ones a native library starts later. */
    public static Set<String> threadIds() {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> ids.add(t.getFileName().toString()));
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux: nothing to find
        }
        return ids;
    }

    /** Lowers the priority of the threads started since {@code before} that run native code (named "java"). */
    public static void lowerThreadsStartedSince(Set<String> before) {
        Set<String> started = new HashSet<>();
        for (String id : threadIds()) {
            if (!before.contains(id) && "java".equals(name(id))) {
                started.add(id);
            }
        }
        renice(started);
    }

    private static String name(String tid) {
        try {
            return Files.readString(Path.of("/proc/self/task", tid, "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void renice(Set<String> tids) {
        if (tids.isEmpty()) {
            return;
        }
        try {
            String[] cmd = Stream.concat(Stream.of("renice", "-n", Integer.toString(NICE), "-p"), tids.stream())
                    .toArray(String[]::new);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.fine("renice is not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
