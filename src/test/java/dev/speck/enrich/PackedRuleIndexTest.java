package dev.speck.enrich;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PackedRuleIndexTest {

    private static Map<String, Set<?>> rules(int n) {
        Map<String, Set<?>> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put("agent.(1)product.(" + i + ")name=\"v" + (i * 7919 % 1000) + "\"", Set.of(i));
        }
        return map;
    }

    @Test
    void findsEveryKeyItWasGivenAndNothingElse() {
        Map<String, Set<?>> original = rules(20_000);
        PackedRuleIndex packed = PackedRuleIndex.of(original);

        assertThat(packed).hasSize(20_000);
        original.forEach((key, value) -> assertThat(packed.get(new String(key))).as(key).isSameAs(value));
        assertThat(packed.get("agent.(1)product.(20000)name=\"v0\"")).isNull();
        assertThat(packed.get("agent.(1)product.(1)name=\"v7919\"")).as("same length, other text").isNull();
        assertThat(packed.get("")).isNull();
        assertThat(packed.get(42)).isNull();
        assertThat(packed.containsKey("agent.(1)product.(0)name=\"v0\"")).isTrue();
    }

    @Test
    void keysWithTheSameHashAreToldApartByTheirText() {
        Map<String, Set<?>> map = new LinkedHashMap<>();
        map.put("Aa", Set.of(1)); // "Aa" and "BB" share String.hashCode
        map.put("BB", Set.of(2));
        PackedRuleIndex packed = PackedRuleIndex.of(map);

        assertThat(packed.get("Aa")).isEqualTo(Set.of(1));
        assertThat(packed.get("BB")).isEqualTo(Set.of(2));
        assertThat(packed.get("C#")).isNull();
    }

    @Test
    void iteratesInTheOriginalOrderWithLatin1KeysIntact() {
        Map<String, Set<?>> map = new LinkedHashMap<>();
        map.put("zeta=\"é\"", Set.of(1));
        map.put("alpha", Set.of(2));
        map.put("mid\u00ff", Set.of(3));
        List<String> keys = new ArrayList<>();
        PackedRuleIndex.of(map).forEach((key, value) -> keys.add(key));

        assertThat(keys).containsExactly("zeta=\"é\"", "alpha", "mid\u00ff");
        assertThat(PackedRuleIndex.of(map).get("mid\u00ff")).isEqualTo(Set.of(3));
    }

    @Test
    void aKeyBeyondLatin1LeavesTheMapUnpacked() {
        assertThat(PackedRuleIndex.of(Map.of("agent=\"\u4e2d\"", Set.of(1)))).isNull();
    }

    @Test
    void clearingEmptiesIt() {
        PackedRuleIndex packed = PackedRuleIndex.of(rules(10));
        packed.clear();

        assertThat(packed).isEmpty();
        assertThat(packed.get("agent.(1)product.(0)name=\"v0\"")).isNull();
    }
}
