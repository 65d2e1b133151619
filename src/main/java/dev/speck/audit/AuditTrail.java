package dev.speck.audit;

import java.util.Map;

/**
 * Where sign-ins and admin actions are recorded. Who acted comes as a {@link Requester} (the signed-in
 * user or the API key that made the request, and its address), so the trail never sees HTTP.
 */
public interface AuditTrail {

    /** Records nothing: for tools and tests that run without access control. */
    AuditTrail NONE = (requester, action, target, details) -> { };

    /**
     * @param requester who did it ({@link Requester#SPECK} for Speck's own scheduled work)
     * @param action  a stable dotted name such as "customer.erase" or "settings.update"
     * @param target  what it was done to (a pixel id, a user name); never personal data that was erased
     * @param details small facts worth keeping (counts, changed setting names); never erased data
     */
    void record(Requester requester, String action, String target, Map<String, Object> details);
}
