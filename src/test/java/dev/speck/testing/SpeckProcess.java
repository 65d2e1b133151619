package dev.speck.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Speck's command line in a JVM of its own, on the test's class path: a second process, as an operator runs one. */
public final class SpeckProcess {

    private SpeckProcess() {
    }

    /** Starts {@code speck ARGS...}; its output and errors come together on the process's input stream. */
    public static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.speck.Speck"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
