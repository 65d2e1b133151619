package dev.speck;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the house to the layering in docs/ARCHITECTURE.md ("Where things live"): a package uses
 * only packages on rows above its own (or on its own row), read from the compiled classes, so an
 * import added against the flow fails here, not in a reviewer's eye.
 */
class ArchitectureTest {

    /**
     * Rows from the bottom up; packages on one row do not depend on each other's row mates except
     * where listed in {@link #SAME_ROW}. "" is dev.speck itself (the command line and the wiring).
     */
    static final List<List<String>> ROWS = List.of(
            List.of("hit"),
            List.of("config"),
            List.of("metrics", "memory", "tls", "audit", "report"),
            List.of("http"),
            List.of("journal"),
            List.of("privacy"),
            List.of("pixels"),
            List.of("enrich"),
            List.of("geo"),
            List.of("goals", "customers"),
            List.of("triggers"),
            List.of("segments"),
            List.of("audiences"),
            List.of("access"),
            List.of("collect"),
            List.of("store"),
            List.of("deliver"),
            List.of("pipeline"),
            List.of("store.duckdb"),
            List.of("ops"),
            List.of("web"),
            List.of("demo"),
            List.of(""));

    /** Uses within one row that the layering allows (none today: each row's packages stand apart). */
    static final Set<String> SAME_ROW = Set.of();

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.speck");
    }

    @Test
    void everyPackageOfSpeckHasARowInTheLayering() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            if (row(room(c)) < 0) {
                unplaced.add(room(c));
            }
        }
        assertThat(unplaced).as("packages missing from ArchitectureTest.ROWS and ARCHITECTURE.md").isEmpty();
    }

    @Test
    void noPackageUsesOneAboveItsOwnRowInTheFlow() {
        Map<String, Set<String>> wrong = new LinkedHashMap<>();
        for (JavaClass c : classes) {
            String from = room(c);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (!target.getPackageName().startsWith("dev.speck")) {
                    continue;
                }
                String to = room(target);
                if (to.equals(from) || SAME_ROW.contains(from + " -> " + to)) {
                    continue;
                }
                if (row(to) >= row(from)) {
                    wrong.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
                            .add(c.getSimpleName() + " uses " + target.getSimpleName());
                }
            }
        }
        assertThat(wrong).as("uses against the flow (a package may use only rows below its own)").isEmpty();
    }

    @Test
    void theLayeringHasNoPackageTwice() {
        List<String> all = new ArrayList<>();
        ROWS.forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates();
    }

    /** The class's package below dev.speck ("" for dev.speck itself), nested classes with their outer class. */
    private static String room(JavaClass c) {
        String p = c.getPackageName();
        return p.equals("dev.speck") ? "" : p.substring("dev.speck.".length());
    }

    private static int row(String room) {
        for (int i = 0; i < ROWS.size(); i++) {
            if (ROWS.get(i).contains(room)) {
                return i;
            }
        }
        return -1;
    }
}
