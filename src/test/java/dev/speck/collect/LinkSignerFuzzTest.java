package dev.speck.collect;

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
 * Fuzz tests of tracked links' recipient tokens ({@code /l/{code}?rcpt=TOKEN&sig=SIGNATURE}). An
 * ordinary test run replays src/test/resources/dev/speck/collect/LinkSignerFuzzTestInputs/; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest='LinkSignerFuzzTest#aSignedRecipientVerifiesAndATamperedOneNever'}.
 */
class LinkSignerFuzzTest {

    private static final LinkSigner SIGNER = new LinkSigner("fuzz-link-secret-0123456789abcdefghij".getBytes());

    /** Every target below on a fixed budget of random inputs: the short run of every build. */
    @TestFactory
    Stream<DynamicTest> holdsOnAFixedBudgetOfRandomInputs() {
        return FixedBudget.of(this);
    }

    /**
     * Sign, then change the code, the recipient or the signature: only the link and recipient that
     * were signed verify. Codes are Speck's own (letters and digits) and a query value holds no NUL,
     * so a NUL, which separates the two in the signed message, is not among the changes.
     */
    @FuzzTest(maxDuration = "5m")
    void aSignedRecipientVerifiesAndATamperedOneNever(FuzzedDataProvider data) {
        String code = Mutations.mutate(data, List.of("aB3dE5gH", "spring24")).replace("\u0000", "");
        String recipient = data.consumeString(100).replace("\u0000", "");
        String signature = SIGNER.sign(code, recipient);
        assertThat(SIGNER.verify(code, recipient, signature)).isTrue();

        String code2 = data.consumeBoolean() ? code : Mutations.mutate(data, List.of(code)).replace("\u0000", "");
        String recipient2 = data.consumeBoolean() ? recipient : Mutations.mutate(data, List.of(recipient)).replace("\u0000", "");
        String signature2 = data.consumeBoolean() ? signature : Mutations.mutate(data, List.of(signature));

        if (SIGNER.verify(code2, recipient2, signature2)) {
            assertThat(signature2).isEqualTo(signature);
            // the same message (an unpaired surrogate is '?' in UTF-8; a query value never holds one)
            assertThat(utf8(code2 + "\u0000" + recipient2)).isEqualTo(utf8(code + "\u0000" + recipient));
        }
        assertThat(SIGNER.verify(code, recipient, null)).isFalse();
        assertThat(SIGNER.verify(code, null, signature)).isFalse();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
