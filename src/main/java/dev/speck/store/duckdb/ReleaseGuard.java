package dev.speck.store.duckdb;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Writers and queries in, a release out, or the other way round (see {@link DuckDbDatabase#releaseCache()}).
 * A release waits until nobody holds a lease, without stopping new ones meanwhile (it is for idle
 * moments; under load it waits), and leases wait only during the release itself. Not a
 * ReentrantReadWriteLock: a lease may be closed by another thread than took it (the loader takes the
 * lease of the move it hands to the store's mover thread), and a release waiting must not make new
 * leases wait behind it (the loader, holding its transaction's lease, may wait for that move: behind a
 * queued release, a deadlock). While releasing, nobody holds a lease, so no lease holder can wait
 * for another.
 *
 * <p>Writers (background work, bounded) are waited for as long as they take. Queries (a report, an
 * export, a console page's read or write) are waited for at most a patience: a query that runs on, or
 * one after another without a gap, makes the release give up instead, for the next idle moment.
 */
final class ReleaseGuard {

    private int writers;
    private int queries;
    private boolean releasing;

    /** Held while background work writes or checkpoints. */
    synchronized DuckDbDatabase.Lease writer() {
        return lease(true);
    }

    /** Held while a connection for anything else is open. */
    synchronized DuckDbDatabase.Lease query() {
        return lease(false);
    }

    private DuckDbDatabase.Lease lease(boolean writer) {
        awaitUninterruptibly(() -> !releasing);
        if (writer) {
            writers++;
        } else {
            queries++;
        }
        boolean[] closed = {false};
        return () -> {
            synchronized (this) {
                if (!closed[0]) {
                    closed[0] = true;
                    if (writer) {
                        writers--;
                    } else {
                        queries--;
                    }
                    notifyAll();
                }
            }
        };
    }

    /**
     * Waits until nobody holds a lease, then keeps new ones out until {@link #endRelease()}.
     *
     * @param queryPatienceNanos how long queries may keep the release waiting once no writer does
     * @return false when queries kept it waiting that long: the release must not go ahead
     */
    synchronized boolean beginRelease(long queryPatienceNanos) {
        long deadline = System.nanoTime() + queryPatienceNanos;
        boolean interrupted = false;
        try {
            while (releasing || writers > 0 || queries > 0) {
                boolean onlyQueries = !releasing && writers == 0;
                long left = deadline - System.nanoTime();
                if (onlyQueries && left <= 0) {
                    return false;
                }
                try {
                    if (onlyQueries) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } else {
                        wait();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            releasing = true;
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized void endRelease() {
        releasing = false;
        notifyAll();
    }

    /** Waits on this guard until {@code condition} holds; an interrupt is kept for the caller. */
    private void awaitUninterruptibly(BooleanSupplier condition) {
        boolean interrupted = false;
        while (!condition.getAsBoolean()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
