package dev.speck.access;

import java.time.Instant;

/**
 * A signed-in browser. The cookie holds a random token; only its hash ({@code id}) is stored, so
 * a copy of the database signs no one in.
 *
 * @param csrfToken the synchronizer token unsafe requests of this session must carry
 */
public record Session(String id, String user, String csrfToken, Instant created, Instant lastSeen) {
}
