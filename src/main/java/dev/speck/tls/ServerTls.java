package dev.speck.tls;

import dev.speck.config.ConfigError;
import dev.speck.config.SpeckConfig;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTPS served by Speck itself, from a PEM certificate chain and key. The files are looked at every
 * {@code http.tls-reload-interval}; a renewed certificate (Let's Encrypt's every 60 days or so) is
 * loaded and swapped in for new connections without a restart, while open ones keep theirs. A pair
 * that does not load is logged and the one in use keeps serving.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServerTls.class.getName());
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** What is being served, and the state of the files it came from. */
    private record Loaded(SslContext context, Instant notAfter, FileStamp stamp) {
    }

    /** Enough to notice that a file was replaced: where a symlink points, its time and size. */
    private record FileStamp(String certificate, String key) {

        static FileStamp of(Path certificate, Path key) {
            return new FileStamp(describe(certificate), describe(key));
        }

        private static String describe(Path file) {
            try {
                return file.toRealPath() + "@" + Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
            } catch (IOException e) {
                return "unreadable: " + e.getMessage();
            }
        }
    }

    private final SpeckConfig.Tls settings;
    private final ScheduledExecutorService watcher;
    private volatile Loaded current;
    private FileStamp lastTried;

    private ServerTls(SpeckConfig.Tls settings, Loaded first) {
        this.settings = settings;
        this.current = first;
        this.lastTried = first.stamp();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "speck-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long every = settings.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /** Loads the files (a ConfigError names the setting and file when they cannot serve) and starts watching them. */
    public static ServerTls start(SpeckConfig.Tls settings) {
        FileStamp stamp = FileStamp.of(settings.certificate(), settings.key());
        Loaded first = load(settings, stamp);
        if (first.notAfter().isBefore(Instant.now())) {
            LOG.warning("the certificate in " + settings.certificate() + " expired on " + first.notAfter()
                    + "; browsers will refuse it until it is renewed");
        }
        return new ServerTls(settings, first);
    }

    private static Loaded load(SpeckConfig.Tls settings, FileStamp stamp) {
        PemFiles.Pair pair = PemFiles.read(settings.certificate(), settings.key());
        try {
            SslContext context = SslContextBuilder.forServer(pair.key(), pair.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
            return new Loaded(context, pair.leaf().getNotAfter().toInstant(), stamp);
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigError(PemFiles.CERTIFICATE_KEY, settings.certificate().toString(),
                    "a certificate and key the JDK's TLS can serve (" + e.getMessage() + ")");
        }
    }

    /** The handler a new connection starts with: TLS with the certificate in use now. */
    public ChannelHandler newHandler() {
        return new HttpsOnly(current.context());
    }

    /** When the certificate being served stops being valid. */
    public Instant notAfter() {
        return current.notAfter();
    }

    /** Runs on the watcher thread. */
    void reloadIfChanged() {
        FileStamp stamp = FileStamp.of(settings.certificate(), settings.key());
        if (stamp.equals(lastTried)) {
            return;
        }
        // A renewal may write the certificate and the key one after the other: a pair that does not
        // load yet is tried again once either file changes again.
        lastTried = stamp;
        try {
            Loaded next = load(settings, stamp);
            current = next;
            LOG.info("loaded the renewed certificate from " + settings.certificate() + ", valid until " + next.notAfter());
        } catch (RuntimeException e) { // a ConfigError names the file and what is wrong with it
            LOG.log(Level.WARNING, "the changed certificate files do not load; still serving the previous certificate: "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
