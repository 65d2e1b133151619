package dev.speck;

import dev.speck.segments.SegmentChange;
import dev.speck.triggers.TriggerEngine;

import java.util.List;
import java.util.function.Consumer;

/** Hands segment entries and exits to the triggers started by them (segments come after triggers in the flow). */
final class SegmentTriggers implements Consumer<List<SegmentChange>> {

    private final TriggerEngine triggers;

    SegmentTriggers(TriggerEngine triggers) {
        this.triggers = triggers;
    }

    @Override
    public void accept(List<SegmentChange> changes) {
        for (SegmentChange c : changes) {
            triggers.onSegment(c.pixel(), c.segmentId(), c.entered(), c.person(), c.customer(), c.id(), c.at());
        }
    }
}
