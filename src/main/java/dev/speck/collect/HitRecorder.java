package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Rejection;

import dev.speck.journal.AppendOutcome;
import dev.speck.journal.HitJournal;
import dev.speck.metrics.SpeckMetrics;

/** The end of every collect path: journal the hit and count what became of it. */
public final class HitRecorder {

    private final HitJournal journal;
    private final SpeckMetrics metrics;
    private final PixelActivity activity;

    public HitRecorder(HitJournal journal, SpeckMetrics metrics, PixelActivity activity) {
        this.journal = journal;
        this.metrics = metrics;
        this.activity = activity;
    }

    /** Returns the rejection, or null when the hit is durable and may be acknowledged. */
    public Rejection record(Hit hit) {
        AppendOutcome outcome = journal.append(hit);
        switch (outcome) {
            case STORED -> {
                metrics.accepted(hit.kind());
                activity.accepted(hit.pixel(), System.currentTimeMillis());
                return null;
            }
            case FULL -> {
                return reject(Rejection.JOURNAL_FULL, hit.pixel());
            }
            default -> {
                return reject(Rejection.TOO_LARGE, hit.pixel());
            }
        }
    }

    /** An optional field left out of a hit that was kept (see {@link FieldDrops}). */
    void fieldDropped(String field, String reason) {
        metrics.fieldDropped(field, reason);
    }

    /** A hit answered but deliberately not recorded (the visitor's or the account's choice). */
    public void notRecorded(NotRecorded reason) {
        metrics.notRecorded(reason);
    }

    public Rejection reject(Rejection reason) {
        metrics.rejected(reason);
        return reason;
    }

    /** A rejection of a hit for a pixel that exists, also counted for that pixel's health. */
    public Rejection reject(Rejection reason, String pixel) {
        activity.rejected(pixel, reason);
        return reject(reason);
    }
}
