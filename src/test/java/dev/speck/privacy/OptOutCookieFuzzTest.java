package dev.speck.privacy;

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
 * Fuzz tests of the opt-out cookie's check, on every hit's Cookie header. An ordinary test run
 * replays src/test/resources/dev/speck/privacy/OptOutCookieFuzzTestInputs/; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='OptOutCookieFuzzTest#aVisitorWhoOptedOutIsRecognisedWhateverElseTheHeaderHolds'}.
 */
class OptOutCookieFuzzTest {

    private static final List<String> HEADERS = List.of("speck_optout=1", "a=b; speck_optout=1",
            "speck_optout=0; speck_session=abc", "_ga=GA1.2.3.4; _gid=GA1.2.5.6; consent=yes", "");

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /**
     * Whatever cookies come before or after it (a Speck on a subdomain gets the site's cookies too,
     * dozens on a big shop), a header carrying speck_optout=1 is an opted-out visitor; never an exception.
     */
    @FuzzTest(maxDuration = "5m")
    void aVisitorWhoOptedOutIsRecognisedWhateverElseTheHeaderHolds(FuzzedDataProvider data) {
        String before = Mutations.mutate(data, HEADERS);
        String after = Mutations.mutate(data, HEADERS);
        boolean unused = OptOutCookie.isSet(before);

        assertThat(OptOutCookie.isSet(before + "; speck_optout=1; " + after)).as(before + " | " + after).isTrue();
    }

    /** A header whose cookies are all something else is no opt-out, however many there are. */
    @FuzzTest(maxDuration = "5m")
    void noOtherCookieCountsAsTheOptOut(FuzzedDataProvider data) {
        String header = Mutations.mutate(data, List.of("speck_optout=0", "speck_optout=10", "speck_optout=", "speck_optouts=1",
                "xspeck_optout=1", "a=speck_optout=1", "speck_optout=1x"));

        assertThat(OptOutCookie.isSet(header)).as(header).isEqualTo(hasPart(header));
    }

    private static boolean hasPart(String header) {
        for (String part : header.split(";", -1)) {
            if (part.trim().equals("speck_optout=1")) {
                return true;
            }
        }
        return false;
    }
}
