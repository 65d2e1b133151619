package dev.speck.deliver;

import dev.speck.config.SpeckConfig;

import javax.net.ssl.SSLContext;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Works through the {@link Outbox} in the background (thread speck-deliver): starts each due
 * delivery's attempt, at most {@code concurrency} at once and {@code rateLimit} a second, each on a
 * virtual thread of its own; records how it went; schedules the retry (see {@link Backoff}) or, past
 * the horizon, makes it a dead letter. Every attempt is claimed in the store before it is sent, so a
 * crash in the middle is seen after restart and the attempt is made again with the same key.
 */
public final class Deliverer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Deliverer.class.getName());
    /** How long past its timeout a claimed attempt keeps its delivery from being due again. */
    private static final Duration LEASE_GRACE = Duration.ofSeconds(60);
    private static final long IDLE_POLL_MS = 1000;

    private final Outbox outbox;
    private final SpeckConfig.Deliver settings;
    private final AddressGuard guard;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final RateLimit rate;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService attempts = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("speck-deliver-attempt-", 0).factory());
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public Deliverer(Outbox outbox, SpeckConfig.Deliver settings) {
        this(outbox, settings, defaultTls());
    }

    /** With the authorities TLS trusts given (a test's own). */
    Deliverer(Outbox outbox, SpeckConfig.Deliver settings, SSLContext tls) {
        this.outbox = outbox;
        this.settings = settings;
        this.guard = new AddressGuard(settings.allowPrivate());
        this.sender = new WebhookSender(settings.timeout(), tls);
        this.backoff = new Backoff(settings.retryBase());
        this.rate = new RateLimit(settings.rateLimit(), System.nanoTime());
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    /** Takes back attempts a stop or crash cut short, then starts working. */
    public Deliverer start() {
        int interrupted = outbox.recover(Instant.now());
        if (interrupted > 0) {
            LOG.info(interrupted + " webhook attempts were cut short by the last stop; they are made again");
        }
        running = true;
        thread = Thread.ofPlatform().name("speck-deliver").daemon().start(this::run);
        return this;
    }

    /**
     * Something was enqueued or re-delivered: look now, not at the next poll (a second at most).
     * Whoever enqueues calls it after the enqueue's transaction committed.
     */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Attempts under way now. */
    public int inFlight() {
        return inFlight.size();
    }

    private void run() {
        while (running) {
            long waitMs;
            try {
                waitMs = round();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook deliveries: " + e.getMessage(), e);
                waitMs = IDLE_POLL_MS;
            }
            await(waitMs);
        }
    }

    /** Starts what is due, as far as concurrency and the rate allow; how long to wait before looking again. */
    long round() {
        int free = settings.concurrency() - inFlight.size();
        if (free <= 0) {
            return IDLE_POLL_MS; // an ending attempt wakes the loop
        }
        Instant now = Instant.now();
        List<Delivery> due = outbox.due(now, free);
        int started = 0;
        for (Delivery d : due) {
            if (inFlight.contains(d.key())) {
                continue;
            }
            if (!rate.tryTake(System.nanoTime())) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(rate.waitNanos()));
            }
            Optional<Integer> n = outbox.claim(d.key(), now, now.plus(settings.timeout()).plus(LEASE_GRACE));
            if (n.isPresent()) {
                inFlight.add(d.key());
                started++;
                int number = n.get();
                attempts.execute(() -> attempt(d, number, Instant.now()));
            }
        }
        if (started >= free) {
            return 0; // more may be due
        }
        return outbox.nextDue().map(t -> Math.clamp(Duration.between(Instant.now(), t).toMillis(), 0, IDLE_POLL_MS))
                .orElse(IDLE_POLL_MS);
    }

    private void attempt(Delivery d, int n, Instant started) {
        try {
            WebhookSender.Result result;
            Attempt.Outcome refused = null;
            try {
                Target target = Target.parse(d.url());
                AddressGuard.Verdict v = guard.check(target.host());
                if (v instanceof AddressGuard.Refused r) {
                    result = new WebhookSender.Result(null, r.reason(), null, 0);
                    refused = Attempt.Outcome.REFUSED;
                } else {
                    String secret = outbox.secret(target.endpoint());
                    result = sender.send(d, n, secret, target, ((AddressGuard.Allowed) v).address()).join();
                }
            } catch (IllegalArgumentException e) {
                result = new WebhookSender.Result(null, "refused: " + e.getMessage(), null, 0);
                refused = Attempt.Outcome.REFUSED;
            } catch (UnknownHostException e) {
                result = new WebhookSender.Result(null, "unknown host: " + e.getMessage(), null, 0);
            }
            finish(d, n, started, result, refused);
        } catch (RuntimeException e) {
            // not recorded: the claim's lease runs out and the attempt is made again, with the same key
            LOG.log(Level.WARNING, "webhook attempt could not be recorded: " + e.getMessage(), e);
        } finally {
            inFlight.remove(d.key());
            wake();
        }
    }

    private void finish(Delivery d, int n, Instant started, WebhookSender.Result r, Attempt.Outcome refused) {
        Instant end = Instant.now();
        Delivery.Status status;
        Attempt.Outcome outcome;
        Long retryIn = null;
        Instant next = end;
        if (r.delivered()) {
            status = Delivery.Status.DELIVERED;
            outcome = Attempt.Outcome.DELIVERED;
        } else if (refused != null) {
            status = Delivery.Status.DEAD;
            outcome = refused;
        } else {
            outcome = Attempt.Outcome.FAILED;
            long delay = backoff.delayMs(n);
            Instant retry = end.plusMillis(delay);
            if (retry.isAfter(d.retriesFrom().plus(settings.retryHorizon()))) {
                status = Delivery.Status.DEAD;
            } else {
                status = Delivery.Status.PENDING;
                retryIn = delay;
                next = retry;
            }
        }
        outbox.record(d.key(), new Attempt(n, started, outcome, r.status(), r.error(), r.latencyMs(), r.excerpt(),
                retryIn), status, next);
    }

    private void await(long ms) {
        if (ms <= 0) {
            return;
        }
        synchronized (signal) {
            if (!woken) {
                try {
                    signal.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    /** Stops starting attempts and lets those under way end (each within its timeout). */
    @Override
    public void close() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(settings.timeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        attempts.shutdown();
        try {
            attempts.awaitTermination(settings.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
    }
}
