package dev.speck.collect;

import dev.speck.journal.AppendOutcome;
import dev.speck.journal.HitJournal;
import dev.speck.metrics.SpeckMetrics;

/** The end of every collect path: journal the hit and count what became of it. */
public final class HitRecorder {

    private final HitJournal journal;
    private final SpeckMetrics metrics;

    public HitRecorder(HitJournal journal, SpeckMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    /** Returns the rejection, or null when the hit is durable and may be acknowledged. */
    public Rejection record(Hit hit) {
        AppendOutcome outcome = journal.append(hit);
        switch (outcome) {
            case STORED -> {
                metrics.accepted(hit.kind());
                return null;
            }
            case FULL -> {
                return reject(Rejection.JOURNAL_FULL);
            }
            default -> {
                return reject(Rejection.TOO_LARGE);
            }
        }
    }

    public Rejection reject(Rejection reason) {
        metrics.rejected(reason);
        return reason;
    }
}
