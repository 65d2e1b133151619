package dev.speck;

import dev.speck.ops.Backups;
import dev.speck.ops.OperatorRequests;
import dev.speck.ops.StoreLock;
import dev.speck.config.FolderOptions;
import dev.speck.config.SpeckConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** {@code speck backup} and {@code speck restore}; see {@link Backups}. */
final class BackupCommands {

    private BackupCommands() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Copy a data folder's store, journal and secrets into a new folder: while Speck serves",
                    "(a consistent copy, taken by the running Speck) or while it is stopped. The geo database",
                    "is left out (speck geo update installs it again)."})
    static final class Backup implements java.util.concurrent.Callable<Integer> {

        /** A running Speck looks every two seconds; a busy one gets ample time to pick the request up. */
        private static final long PICK_UP_SECONDS = 60;

        @CommandLine.Mixin
        FolderOptions options = new FolderOptions();

        @Option(names = "--to", paramLabel = "DIR", required = true, description = "The new folder for the backup.")
        Path target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            SpeckConfig config = options.load(Map.of());
            Path data = config.dataDir().toAbsolutePath();
            Path to = target.toAbsolutePath();
            if (!Files.isRegularFile(data.resolve(Backups.STORE))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "there is no Speck store in " + data
                        + " (give the folder Speck serves with --data-dir)");
            }
            if (to.startsWith(data) || Files.exists(to)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to must be a new folder outside the "
                        + "data folder (" + to + ")");
            }
            if (!StoreLock.heldByARunningSpeck(data)) {
                Backups.whileStopped(data, to);
                out.println("speck: backed up " + data + " to " + to + " (Speck was stopped)");
                return 0;
            }
            return askRunningSpeck(data, to, out);
        }

        private static int askRunningSpeck(Path data, Path to, PrintWriter out) throws Exception {
            Path folder = Files.createDirectories(data.resolve(OperatorRequests.BACKUPS));
            String id = UUID.randomUUID().toString();
            Path request = folder.resolve(id + ".request");
            Path tmp = folder.resolve("." + id + ".tmp");
            Files.writeString(tmp, to + "\n");
            Files.move(tmp, request, StandardCopyOption.ATOMIC_MOVE);
            out.println("speck: Speck is running on " + data + "; it takes the backup now ...");
            out.flush();
            Path done = folder.resolve(id + ".done");
            Path failed = folder.resolve(id + ".failed");
            long pickUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PICK_UP_SECONDS);
            long nextWord = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.exists(done) && !Files.exists(failed)) {
                if (Files.exists(request) && System.nanoTime() > pickUpDeadline) {
                    Files.deleteIfExists(request);
                    out.println("speck: the running Speck did not pick the backup up in " + PICK_UP_SECONDS
                            + " s; nothing was copied");
                    return 3;
                }
                if (System.nanoTime() > nextWord) {
                    out.println("speck: still backing up ...");
                    out.flush();
                    nextWord = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                }
                Thread.sleep(200);
            }
            if (Files.exists(failed)) {
                out.println("speck: the backup failed: " + Files.readString(failed).strip());
                Files.deleteIfExists(failed);
                return 1;
            }
            Files.deleteIfExists(done);
            out.println("speck: backed up " + data + " to " + to + " (while Speck ran)");
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Copy a backup into a new data folder (one without a store); start Speck on it",
                    "afterwards: it stores what the backup's journal holds, as after a crash."})
    static final class Restore implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Mixin
        FolderOptions options = new FolderOptions();

        @Option(names = "--from", paramLabel = "DIR", required = true, description = "The backup folder.")
        Path from;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SpeckConfig config = options.load(Map.of());
            Path data = config.dataDir().toAbsolutePath();
            try {
                Backups.restore(from.toAbsolutePath(), data);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            spec.commandLine().getOut().println("speck: restored " + from.toAbsolutePath() + " into " + data
                    + "; start Speck with --data-dir " + data);
            return 0;
        }
    }
}
