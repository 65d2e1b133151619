package dev.speck.pipeline;

import dev.speck.customers.LandingTokens;
import dev.speck.hit.Hit;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes landing-URL identities ({@code speck_id=...}) off each hit before anything reads its URL,
 * keeping the token in the hit's signals for {@link RecogniseCustomers} (see {@link LandingTokens}).
 */
final class StripLandingTokens implements Stage {

    private static final Logger LOG = Logger.getLogger(StripLandingTokens.class.getName());

    @Override
    public Chunk apply(Chunk chunk) {
        List<Hit> hits = chunk.hits();
        List<Hit> stripped = null; // copied only once a hit carries a token: most chunks have none
        for (int i = 0; i < hits.size(); i++) {
            Hit hit = hits.get(i);
            Hit out = strip(hit);
            if (out != hit && stripped == null) {
                stripped = new ArrayList<>(hits);
            }
            if (stripped != null) {
                stripped.set(i, out);
            }
        }
        return stripped == null ? chunk : chunk.withHits(stripped);
    }

    private static Hit strip(Hit hit) {
        try {
            return LandingTokens.strip(hit);
        } catch (RuntimeException e) {
            // Best effort, as enrichment: the hit itself is never dropped for it.
            LOG.log(Level.WARNING, "taking the landing token off a hit of pixel " + hit.pixel() + " failed", e);
            return hit;
        }
    }
}
