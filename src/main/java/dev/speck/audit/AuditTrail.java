package dev.speck.audit;

import dev.speck.collect.Exchange;

import java.util.Map;

/**
 * Where sign-ins and admin actions are recorded. Who acted is taken from the request (the signed-in
 * user or the API key that made it), so callers only say what was done to what.
 */
public interface AuditTrail {

    /** Records nothing: for tools and tests that run without access control. */
    AuditTrail NONE = (request, action, target, details) -> { };

    /**
     * @param request the request that did it (null for Speck's own scheduled work)
     * @param action  a stable dotted name such as "customer.erase" or "settings.update"
     * @param target  what it was done to (a pixel id, a user name); never personal data that was erased
     * @param details small facts worth keeping (counts, changed setting names); never erased data
     */
    void record(Exchange request, String action, String target, Map<String, Object> details);
}
