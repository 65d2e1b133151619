package dev.speck.pipeline;

import dev.speck.enrich.Enricher;
import dev.speck.enrich.Event;
import dev.speck.hit.Hit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Makes each hit an event: user agent, place, visitor, traffic source (see {@link Enricher}). */
final class Enrich implements Stage {

    private static final Logger LOG = Logger.getLogger(Enrich.class.getName());

    private final Function<Hit, Event> enricher;
    private final Runnable warmUp;

    Enrich(Enricher enricher) {
        this(enricher::enrich, enricher::warmUp);
    }

    Enrich(Function<Hit, Event> enricher, Runnable warmUp) {
        this.enricher = enricher;
        this.warmUp = warmUp;
    }

    @Override
    public Chunk apply(Chunk chunk) {
        List<Hit> hits = chunk.hits();
        List<Event> events = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            try {
                events.add(enricher.apply(hit));
            } catch (RuntimeException e) {
                // Enrichment is best effort; the hit itself is never dropped for it.
                LOG.log(Level.WARNING, "enrichment failed for a hit of pixel " + hit.pixel(), e);
                events.add(new Event(hit, null, null, null, null, null, hit.client().timeZone(), null));
            }
        }
        return chunk.withEvents(events);
    }

    /** Builds the user-agent analyzer: seconds, done here rather than at start-up. */
    @Override
    public void warmUp() {
        warmUp.run();
    }
}
