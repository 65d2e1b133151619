package dev.speck.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void aHashIsArgon2idWithItsParametersAndSaltAndMatchesOnlyItsPassword() {
        String hash = hasher.hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
        assertThat(hasher.matches("correct horse battery", hash)).isTrue();
        assertThat(hasher.matches("correct horse batterY", hash)).isFalse();
        assertThat(hasher.hash("correct horse battery")).isNotEqualTo(hash); // a new salt each time
    }

    @Test
    void aDamagedHashMatchesNothing() {
        String hash = hasher.hash("pw-pw-pw-pw");
        assertThat(hasher.matches("pw-pw-pw-pw", hash.replace("t=2", "t=x"))).isFalse();
        assertThat(hasher.matches("pw-pw-pw-pw", hash.replace("argon2id", "argon2i"))).isFalse();
        assertThat(hasher.matches("pw-pw-pw-pw", "")).isFalse();
        assertThat(hasher.matches("pw-pw-pw-pw", null)).isFalse();
        assertThat(hasher.matches("pw-pw-pw-pw", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA")).isFalse();
    }

    /** Known-answer check against the reference implementation (argon2 CLI / RFC 9106 parameters). */
    @Test
    void itComputesTheReferenceArgon2id() {
        // echo -n "password" | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e  (the argon2 README's example)
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.matches("password", reference)).isTrue();
    }
}
