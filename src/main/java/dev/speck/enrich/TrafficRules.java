package dev.speck.enrich;

import java.util.List;

/** Where an admin's traffic rules are kept. */
public interface TrafficRules {

    /** Every rule, newest first: the order they apply in (the first that matches wins). */
    List<TrafficRule> list();

    void save(TrafficRule rule);

    /** @return whether there was such a rule */
    boolean delete(String id);
}
