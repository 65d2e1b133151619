package dev.speck.triggers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The enabled triggers, held in memory for the {@link TriggerEngine}: live ones in a {@link TriggerIndex}
 * per pixel, pattern ones in a list. A change to one trigger reads that trigger and builds its pixel's
 * index again, so making a thousand triggers one after another does not read and parse all of them
 * each time. Readers get immutable snapshots; changes are serialised here.
 */
final class ActiveTriggers {

    /** The store's order ({@code ORDER BY created, id}): the order in which a hit's firings are handed on. */
    private static final Comparator<Trigger> ORDER = Comparator.comparing(Trigger::created).thenComparing(Trigger::id);

    private final TriggerStore store;
    /** Enabled triggers by pixel, then id; guarded by this. */
    private final Map<String, Map<String, Trigger>> enabled = new HashMap<>();
    private volatile Map<String, TriggerIndex> byPixel = Map.of();
    private volatile List<Trigger> patterns = List.of();
    /** The enabled triggers started by a segment's entries or exits, by segment id. */
    private volatile Map<String, List<Trigger>> bySegment = Map.of();
    private volatile int live;

    ActiveTriggers(TriggerStore store) {
        this.store = store;
    }

    /** Reads every trigger again. */
    synchronized void reload() {
        enabled.clear();
        for (Trigger t : store.all()) {
            if (t.enabled()) {
                enabled.computeIfAbsent(t.pixel(), p -> new HashMap<>()).put(t.id(), t);
            }
        }
        publish(new HashMap<>(), enabled.keySet());
    }

    /** Reads one trigger again (saved, changed or deleted): only its pixel's index is built again. */
    synchronized void changed(String id) {
        Set<String> pixels = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, Trigger>> p : enabled.entrySet()) {
            if (p.getValue().remove(id) != null) {
                pixels.add(p.getKey());
            }
        }
        Trigger now = store.find(id);
        if (now != null && now.enabled()) {
            enabled.computeIfAbsent(now.pixel(), p -> new HashMap<>()).put(id, now);
            pixels.add(now.pixel());
        }
        publish(new HashMap<>(byPixel), pixels);
    }

    private void publish(Map<String, TriggerIndex> indexes, Set<String> pixels) {
        for (String pixel : pixels) {
            List<Trigger> liveOnes = enabled.getOrDefault(pixel, Map.of()).values().stream()
                    .filter(Trigger::live).sorted(ORDER).toList();
            if (liveOnes.isEmpty()) {
                indexes.remove(pixel);
            } else {
                indexes.put(pixel, new TriggerIndex(liveOnes));
            }
        }
        enabled.values().removeIf(Map::isEmpty);
        List<Trigger> pattern = new ArrayList<>();
        Map<String, List<Trigger>> segment = new HashMap<>();
        enabled.values().forEach(ts -> ts.values().stream().filter(t -> !t.live()).forEach(t -> {
            if (t.onSegment()) {
                segment.computeIfAbsent(t.when().target(), k -> new ArrayList<>()).add(t);
            } else {
                pattern.add(t);
            }
        }));
        pattern.sort(ORDER);
        segment.values().forEach(list -> list.sort(ORDER));
        bySegment = Map.copyOf(segment);
        byPixel = Map.copyOf(indexes);
        patterns = List.copyOf(pattern);
        live = indexes.values().stream().mapToInt(TriggerIndex::size).sum();
    }

    Map<String, TriggerIndex> byPixel() {
        return byPixel;
    }

    List<Trigger> patterns() {
        return patterns;
    }

    Map<String, List<Trigger>> bySegment() {
        return bySegment;
    }

    int live() {
        return live;
    }
}
