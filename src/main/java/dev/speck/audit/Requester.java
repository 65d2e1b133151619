package dev.speck.audit;

/**
 * Who asked for something, as the domain needs to know it: the kind and name of the actor and the
 * client's address. The HTTP exchange never goes past the web layer; this record does.
 *
 * @param actorKind "user", "key", "anonymous" or "speck" (Speck's own scheduled work)
 * @param actor     the user name or key id ("-" when anonymous, "speck" for scheduled work)
 * @param client    the client's address as resolved through trusted proxies, or null; the audit
 *                  trail keeps it truncated like a hit's
 */
public record Requester(String actorKind, String actor, String client) {

    /** Speck itself: retention runs, start-up work. */
    public static final Requester SPECK = new Requester("speck", "speck", null);
}
