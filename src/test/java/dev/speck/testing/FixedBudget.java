package dev.speck.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.DynamicTest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The fuzz tests' short run for every build: each {@link FuzzTest} target of a class is fed
 * {@code speck.fuzz.tries} (1000) random inputs from a fixed seed ({@code speck.fuzz.seed}), so CI
 * runs the same inputs every time and a failure names the one that broke the contract (also written
 * to target/fuzz-failures/, to be kept as a regression input). Jazzer alone replays only the inputs
 * kept in src/test/resources outside fuzzing mode; the coverage-guided long run is
 * {@code JAZZER_FUZZ=1} (docs/TESTING.md, "Fuzzing"). A local long random run:
 * {@code -Dspeck.fuzz.tries=200000}.
 */
public final class FixedBudget {

    /** A fuzz target as its test method is written. */
    @FunctionalInterface
    private interface Target {
        void run(FuzzedDataProvider data) throws Throwable;
    }

    private FixedBudget() {
    }

    /** One dynamic test per fuzz target of the test instance's class. */
    public static Stream<DynamicTest> of(Object testInstance) {
        String fuzzing = System.getenv("JAZZER_FUZZ");
        if (fuzzing != null && !fuzzing.isEmpty()) {
            return Stream.empty(); // Jazzer is fuzzing the targets themselves
        }
        // the fuzzed-data reader lives in Jazzer's bootstrap jar, which its agent puts on the class
        // path (with instrumentation off, as for Jazzer's own replay of kept inputs)
        com.code_intelligence.jazzer.agent.AgentInstaller.install(false);
        int tries = Integer.getInteger("speck.fuzz.tries", 1000);
        long seed = Long.getLong("speck.fuzz.seed", 19L);
        return Arrays.stream(testInstance.getClass().getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class))
                .sorted(java.util.Comparator.comparing(Method::getName))
                .map(m -> DynamicTest.dynamicTest(m.getName() + " x" + tries,
                        () -> run(m.getName(), data -> invoke(m, testInstance, data), tries, seed)));
    }

    private static void invoke(Method m, Object instance, FuzzedDataProvider data) throws Throwable {
        try {
            m.setAccessible(true);
            m.invoke(instance, data);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void run(String name, Target target, int tries, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
        for (int i = 0; i < tries; i++) {
            // mostly short inputs, as most real ones are, and now and then a long one
            byte[] input = new byte[random.nextInt(8) == 0 ? random.nextInt(4096) : random.nextInt(512)];
            random.nextBytes(input);
            try (FuzzedDataProviderImpl data = FuzzedDataProviderImpl.withJavaData(input)) {
                target.run(data);
            } catch (Throwable broken) {
                Path kept = Path.of("target", "fuzz-failures", name + "-" + i + ".bin");
                Files.createDirectories(kept.getParent());
                Files.write(kept, input);
                throw new AssertionError(name + ": try " + i + " of seed " + seed + " broke the contract (input kept in "
                        + kept + ", " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64)) + "...)", broken);
            }
        }
    }
}
