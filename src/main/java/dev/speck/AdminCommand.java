package dev.speck;

import dev.speck.ops.StoreLock;
import dev.speck.access.PasswordResets;
import dev.speck.access.Users;
import dev.speck.config.FolderOptions;
import dev.speck.config.SpeckConfig;
import dev.speck.store.duckdb.DuckDbEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code speck admin reset-password}: sign-in that cannot be lost, for whoever may write to the data folder. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer a data folder's users.",
        subcommands = {AdminCommand.ResetPassword.class, CommandLine.HelpCommand.class})
final class AdminCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = {"Set a new password for a user (admin by default) and print it; works whether Speck",
                    "runs on the data folder or not, and makes the user, as an admin, when it does not exist.",
                    "The reset is recorded in the audit trail."})
    static final class ResetPassword implements Callable<Integer> {

        /** A running Speck looks every two seconds; a busy machine gets ample time before the command gives up. */
        private static final long RUNNING_WAIT_SECONDS = 60;

        @CommandLine.Mixin
        FolderOptions options = new FolderOptions();

        @Option(names = "--user", paramLabel = "NAME", defaultValue = "admin",
                description = "Whose password (default ${DEFAULT-VALUE}).")
        String user;

        @Option(names = "--password-stdin",
                description = "Read the new password from the first line of standard input instead of generating one.")
        boolean passwordFromStdin;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private java.io.PrintWriter out;

        @Override
        public Integer call() throws Exception {
            out = spec.commandLine().getOut();
            SpeckConfig config = options.load(Map.of());
            Path data = config.dataDir().toAbsolutePath();
            if (!Files.isDirectory(data)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "there is no data folder " + data
                        + " (give the one Speck serves with --data-dir)");
            }
            String password = passwordFromStdin ? firstLineOfStdin() : generated();
            PasswordResets resets = new PasswordResets(data);
            Path request;
            try {
                request = resets.request(user, password);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (applyHere(config, resets)) {
                say(password, "");
                return 0;
            }
            out.println("speck: Speck is running on " + data + "; waiting for it to take the new password ...");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUNNING_WAIT_SECONDS);
            while (Files.exists(request) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            out.flush();
            if (Files.exists(request)) {
                out.println("speck: the running Speck has not taken it yet; it will at the latest at its next start.");
                say(password, " once taken");
                return 3;
            }
            say(password, "");
            return 0;
        }

        /** With Speck stopped the store opens here and the request is applied at once; a running Speck holds its lock. */
        private static boolean applyHere(SpeckConfig config, PasswordResets resets) {
            if (StoreLock.heldByARunningSpeck(config.dataDir())) {
                return false;
            }
            DuckDbEngine engine = DuckDbEngine.open(config.dataDir(), "64MB", 1, 0);
            try {
                resets.apply(new Users(engine.access()), engine.audit());
            } finally {
                engine.events().close();
                engine.database().close();
            }
            return true;
        }

        private void say(String password, String when) {
            try {
                sayOnce(password, when);
            } finally {
                out.flush();
            }
        }

        private void sayOnce(String password, String when) {
            if (passwordFromStdin) {
                out.println("speck: the password of '" + user + "' is now the one given" + when + ".");
            } else {
                out.println("speck: the password of '" + user + "' is now" + when + ": " + password);
                out.println("speck: it is shown only this once; sign in at /console/ and change it there.");
            }
        }

        private static String firstLineOfStdin() throws java.io.IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        }

        private static String generated() {
            byte[] b = new byte[15]; // 120 bits, 20 characters, like the first admin's
            new SecureRandom().nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
    }
}
