package dev.speck.pipeline;

import dev.speck.triggers.TriggerEngine;

/**
 * Judges the chunk against the active triggers and puts what fires in the outbox, before the chunk is
 * stored. Each firing's key names the trigger and the hit's journal record, so a chunk read again
 * (a batch rolled back, a crash before the store kept it) enqueues the same keys and the outbox keeps
 * one delivery each. An outbox that cannot take them fails the batch: it is read again, rather than
 * stored without its actions.
 */
final class FireTriggers implements Stage {

    private final TriggerEngine triggers;

    FireTriggers(TriggerEngine triggers) {
        this.triggers = triggers;
    }

    @Override
    public Chunk apply(Chunk chunk) {
        triggers.fire(chunk.events(), chunk.achievements(), chunk::hitKey);
        return chunk;
    }
}
