package dev.speck.privacy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPolicyTest {

    @Test
    void aPixelKeepsWholeDaysBackToItsRetentionAndZeroKeepsForever() {
        LocalDate today = LocalDate.parse("2025-03-14");
        VisitorPrivacy thirty = new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 30);
        VisitorPrivacy forever = new VisitorPrivacy(VisitorPrivacy.IdentityMode.COOKIELESS,
                VisitorPrivacy.ConsentRule.NOT_REQUIRED, true, 0);

        assertThat(RetentionPolicy.firstKeptDay(thirty, today)).isEqualTo(LocalDate.parse("2025-02-12"));
        assertThat(RetentionPolicy.firstKeptDay(forever, today)).isNull();
    }

    @Test
    void rawAddressesAreClearedAfterTheirRetentionOrAllOfThemWhenNotKept() {
        Instant now = Instant.parse("2025-03-14T12:00:00Z");

        assertThat(RetentionPolicy.rawIpsClearedBefore(new AccountSettings(true, true, 30), now))
                .isEqualTo(Instant.parse("2025-02-12T12:00:00Z"));
        assertThat(RetentionPolicy.rawIpsClearedBefore(new AccountSettings(true, false, 30), now)).isNull();
    }
}
