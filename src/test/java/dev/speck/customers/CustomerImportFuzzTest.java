package dev.speck.customers;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.speck.testing.FixedBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.speck.testing.Mutations;

import java.util.List;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the customer CSV import (an upload through the API). An ordinary test run replays
 * src/test/resources/dev/speck/customers/CustomerImportFuzzTestInputs/; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='CustomerImportFuzzTest#anyFileIsImportedWholeOrRefusedWithItsBadLines'}.
 */
class CustomerImportFuzzTest {

    private static final List<String> FILES = List.of(
            "external_id,email,name,aliases,plan\nc1,ann@example.com,Ann,a1;a2,pro\nc2,bob@example.com,\"Bob, Jr.\",,free\n",
            "\uFEFFemail,name\r\n\"x@example.com\",\"multi\nline\"\r\n",
            "external_id,email\nc1,\"unclosed\nc2,b@example.com\n",
            "external_id,external_id\n1,2\n", "name\nAnn\n", "email,,x\na@b.c,1,2\n", "external_id\n\n\n\nc9\n");

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /** One bad row and nothing is imported; never an exception; the answer's size is bounded. */
    @FuzzTest(maxDuration = "5m")
    void anyFileIsImportedWholeOrRefusedWithItsBadLines(FuzzedDataProvider data) {
        int maxRows = data.consumeInt(1, 50);
        String csv = data.consumeBoolean() ? Mutations.mutate(data, FILES) : data.consumeRemainingAsString();

        CustomerImport.Parsed parsed = CustomerImport.parse(csv, maxRows);

        if (parsed.ok()) {
            assertThat(parsed.drafts()).isNotEmpty().hasSizeLessThanOrEqualTo(maxRows);
            assertThat(parsed.lines()).hasSameSizeAs(parsed.drafts());
            assertThat(parsed.errors()).isEmpty();
        } else {
            assertThat(parsed.drafts()).isEmpty();
            assertThat(parsed.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(CustomerImport.MAX_ERRORS_REPORTED + 1);
            assertThat(parsed.badRows()).isPositive();
            parsed.errors().forEach(e -> {
                assertThat(e.line()).isPositive();
                assertThat(e.error()).isNotBlank();
            });
        }
    }
}
