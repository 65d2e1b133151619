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

/** DB-IP's own monthly "IP to City Lite" file; this month's may not be out yet on the 1st, so last month's next. */
final class DbIpDownload implements GeoSource {

    private final HttpClient http;
    private final Clock clock;

    DbIpDownload(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    static URI urlFor(YearMonth month) {
        return URI.create("https://download.db-ip.com/free/dbip-city-lite-" + month + ".mmdb.gz");
    }

    @Override
    public String describe() {
        return "download.db-ip.com";
    }

    @Override
    public String fetch(Path folder, Path work, PrintStream out) throws IOException, InterruptedException {
        YearMonth thisMonth = YearMonth.now(clock);
        List<String> reasons = new ArrayList<>();
        for (YearMonth month : List.of(thisMonth, thisMonth.minusMonths(1))) {
            URI url = urlFor(month);
            Path gz = work.resolve("dbip-city-lite-" + month + ".mmdb.gz");
            try {
                HttpDownload.fetch(http, url, gz, out);
            } catch (IOException e) {
                reasons.add(e.getMessage());
                if (e.getMessage().contains("cannot connect")) {
                    break; // no internet: asking for last month's file would only wait again
                }
                continue;
            }
            Archives.unpackInto(gz, folder, out);
            return url.toString();
        }
        throw new IOException(String.join("; ", reasons));
    }
}
