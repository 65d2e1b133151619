package dev.speck;

import dev.speck.ops.Doctor;
import dev.speck.config.FolderOptions;
import dev.speck.config.SpeckConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code speck doctor}: what an operator checks first, in one list; exit 1 when anything failed. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check a data folder and its settings: disk, store, journal backlog, geo database age,",
                "TLS certificate expiry, clock. Safe while Speck runs."})
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Mixin
    FolderOptions options = new FolderOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SpeckConfig config = options.load(Map.of());
        List<Doctor.Finding> findings = new Doctor(config, Instant.now()).examine();
        for (Doctor.Finding f : findings) {
            out.printf("%-4s  %-12s %s%n", f.verdict(), f.check(), f.detail());
        }
        out.flush();
        return findings.stream().anyMatch(f -> f.verdict() == Doctor.Verdict.FAIL) ? 1 : 0;
    }
}
