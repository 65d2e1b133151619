package dev.speck.pipeline;

/**
 * One step of the {@link Pipeline}, over a chunk of hits at a time (up to {@link EventLoader#CHUNK}):
 * a stage loops over the chunk itself, so the hot loop makes one call per chunk per stage, not one
 * per hit. A stage that cannot do its part for a hit or a chunk lets it go on without it (enrichment
 * and goals are best effort: a hit is never dropped for them); an exception that leaves a stage
 * rolls the whole batch back, and the loader reads it again from the journal.
 */
interface Stage {

    Chunk apply(Chunk chunk);

    /** Readies what the stage needs, on the loader's thread before its first chunk (the server already answers hits). */
    default void warmUp() {
    }
}
