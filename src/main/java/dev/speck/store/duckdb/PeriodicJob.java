package dev.speck.store.duckdb;

import dev.speck.store.BackgroundPriority;
import dev.speck.store.StoreException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a job at start and then every interval on its own daemon thread, until closed. A run that
 * fails is logged and left to the next one: these jobs (rollup, retention, the heap trim) are idempotent.
 */
public final class PeriodicJob implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeriodicJob.class.getName());

    private final Runnable job;
    private final long intervalMillis;
    private final boolean lowerPriority;
    private final String failure;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param lowerPriority whether the thread runs at background priority (see BackgroundPriority)
     * @param failure       what a failed run means, for the log
     */
    public PeriodicJob(String threadName, long intervalMillis, boolean lowerPriority, String failure, Runnable job) {
        this.job = job;
        this.intervalMillis = intervalMillis;
        this.lowerPriority = lowerPriority;
        this.failure = failure;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        if (lowerPriority) {
            BackgroundPriority.lowerCurrentThread();
        }
        while (running) {
            try {
                job.run();
            } catch (StoreException e) {
                LOG.log(Level.WARNING, failure, e);
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
