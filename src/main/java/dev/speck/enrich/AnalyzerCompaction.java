package dev.speck.enrich;

import nl.basjes.parse.useragent.AbstractUserAgentAnalyzerDirect;

import java.lang.reflect.Field;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Shrinks the largest structure in YAUAA's user-agent analyzer once it is built, a third of
 * Speck's idle heap.
 *
 * <p>The analyzer indexes its rules by the parse-tree paths they listen to: about 200,000 paths,
 * each with a {@code LinkedHashSet} of rule actions. Four in five of those sets hold one action, yet
 * each costs ~240 bytes (set, map, 16-slot table, entries): 34 MB of the analyzer's 98 MB of live
 * heap. Once the analyzer is built with {@code immediateInitialization()}, parsing only looks a set
 * up and iterates it, so each set is swapped for an immutable one that keeps its iteration order
 * (the order in which rules are told about a match). Measured: 98 MB live before, 64 MB after, in
 * about 0.1 s. Then the index's ~198,000 keys (~60 characters each) are packed into one array
 * ({@link PackedRuleIndex}): 13 MB less again, parses as fast (3.0-3.3k of YAUAA's own test cases a
 * second either way, uncached). {@code AnalyzerCompactionTest} pins that every one of YAUAA's own test
 * cases parses to the same values and confidences as without it.
 *
 * <p>The index is a private field of YAUAA's, reached by reflection. If an upgrade moves it, nothing
 * is compacted (the analyzer works as before, only larger), a warning says so, and the test that
 * counts the compacted sets fails, so the upgrade is noticed.
 */
final class AnalyzerCompaction {

    private static final Logger LOG = Logger.getLogger(AnalyzerCompaction.class.getName());

    private AnalyzerCompaction() {
    }

    /**
     * Compacts the built, fully initialised analyzer in place; call it before the analyzer is
     * shared with other threads.
     *
     * @return how many rule sets were replaced; 0 when YAUAA's internals are not as expected
     */
    static int compact(AbstractUserAgentAnalyzerDirect analyzer) {
        Map<String, Set<Object>> index;
        try {
            index = ruleIndex(analyzer);
        } catch (ReflectiveOperationException | RuntimeException unexpected) {
            LOG.warning(() -> "user agents: YAUAA's rule index is not where this version of Speck expects it ("
                    + unexpected + "); the analyzer is left as built, ~35 MB larger");
            return 0;
        }
        if (index instanceof PackedRuleIndex) {
            return 0; // compacted before
        }
        int replaced = 0;
        for (Map.Entry<String, Set<Object>> entry : index.entrySet()) {
            Set<Object> actions = entry.getValue();
            if (!(actions instanceof HashSet) || actions.isEmpty()) {
                continue; // already compact
            }
            entry.setValue(actions.size() == 1 ? Set.of(actions.iterator().next()) : new OrderedSet(actions.toArray()));
            replaced++;
        }
        packKeys(analyzer, index);
        return replaced;
    }

    /**
     * Swaps the index itself for a {@link PackedRuleIndex} (its keys, 28 of the analyzer's 64 MB, in
     * one array: 15 MB). The field is final; where a JDK refuses to set it, the map stays as it is.
     */
    private static void packKeys(AbstractUserAgentAnalyzerDirect analyzer, Map<String, Set<Object>> index) {
        PackedRuleIndex packed = PackedRuleIndex.of(index);
        if (packed == null) {
            LOG.info("user agents: a rule path is not Latin-1; the analyzer's index is left unpacked");
            return;
        }
        try {
            Object matchMaker = matchMaker(analyzer);
            indexField(matchMaker).set(matchMaker, packed);
        } catch (ReflectiveOperationException | RuntimeException refused) {
            LOG.warning(() -> "user agents: could not pack YAUAA's rule index (" + refused
                    + "); the analyzer works as before, ~13 MB larger");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<Object>> ruleIndex(AbstractUserAgentAnalyzerDirect analyzer)
            throws ReflectiveOperationException {
        Object matchMaker = matchMaker(analyzer);
        return (Map<String, Set<Object>>) indexField(matchMaker).get(matchMaker);
    }

    private static Object matchMaker(AbstractUserAgentAnalyzerDirect analyzer) throws ReflectiveOperationException {
        Field matchMakerField = AbstractUserAgentAnalyzerDirect.class.getDeclaredField("matchMaker");
        matchMakerField.setAccessible(true);
        return matchMakerField.get(analyzer);
    }

    private static Field indexField(Object matchMaker) throws ReflectiveOperationException {
        Field indexField = matchMaker.getClass().getDeclaredField("informMatcherActions");
        indexField.setAccessible(true);
        return indexField;
    }

    /** Whether the analyzer's rule index is packed (for tests: an upgrade that moves it is noticed). */
    static boolean keysPacked(AbstractUserAgentAnalyzerDirect analyzer) {
        try {
            return ruleIndex(analyzer) instanceof PackedRuleIndex;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * An immutable set over an array that iterates in the order it was given, for the few rule sets
     * with more than one action. Its elements are distinct because they come from a set.
     */
    private static final class OrderedSet extends AbstractSet<Object> {
        private final Object[] elements;

        OrderedSet(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public Iterator<Object> iterator() {
            return Arrays.asList(elements).iterator(); // Arrays.asList's iterator refuses remove()
        }

        @Override
        public int size() {
            return elements.length;
        }
    }
}
