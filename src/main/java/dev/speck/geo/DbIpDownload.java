package dev.speck.geo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DB-IP's own monthly "IP to City Lite" file; this month's may not be out yet on the 1st, so last month's next. */
final class DbIpDownload implements GeoSource {

    static final String SITE = "https://download.db-ip.com/free/";

    private final HttpClient http;
    private final Clock clock;
    private final String site;

    DbIpDownload(HttpClient http, Clock clock) {
        this(http, clock, SITE);
    }

    /** @param site where the files are, ending in "/" (tests pass a local server) */
    DbIpDownload(HttpClient http, Clock clock, String site) {
        this.http = http;
        this.clock = clock;
        this.site = site;
    }

    static URI urlFor(YearMonth month) {
        return urlFor(SITE, month);
    }

    private static URI urlFor(String site, YearMonth month) {
        return URI.create(site + "dbip-city-lite-" + month + ".mmdb.gz");
    }

    @Override
    public String describe() {
        return site.equals(SITE) ? "download.db-ip.com" : site;
    }

    /** The newest month's file name and ETag, by HEAD requests. */
    @Override
    public Optional<String> release(PrintStream out) throws IOException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        for (YearMonth month : months()) {
            try {
                return HttpDownload.release(http, urlFor(site, month));
            } catch (IOException e) {
                if (e.getMessage().contains("cannot connect")) {
                    throw e;
                }
                reasons.add(e.getMessage());
            }
        }
        throw new IOException(String.join("; ", reasons));
    }

    @Override
    public Delivery fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        for (YearMonth month : months()) {
            URI url = urlFor(site, month);
            Path gz = work.resolve("dbip-city-lite-" + month + ".mmdb.gz");
            String release;
            try {
                release = HttpDownload.fetch(http, url, gz, out);
            } catch (IOException e) {
                reasons.add(e.getMessage());
                if (e.getMessage().contains("cannot connect")) {
                    break; // no internet: asking for last month's file would only wait again
                }
                continue;
            }
            Archives.unpackInto(gz, folder, out);
            return new Delivery(url.toString(), release);
        }
        throw new IOException(String.join("; ", reasons));
    }

    private List<YearMonth> months() {
        YearMonth thisMonth = YearMonth.now(clock);
        return List.of(thisMonth, thisMonth.minusMonths(1));
    }
}
