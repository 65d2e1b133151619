package dev.speck.deliver;

import dev.speck.config.ConfigError;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressGuardTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void loopbackPrivateLinkLocalSharedMulticastAndUnspecifiedAddressesAreRefused() throws Exception {
        AddressGuard guard = new AddressGuard(List.of());
        for (String a : List.of("127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "100.127.255.255", "224.0.0.1", "0.0.0.0", "255.255.255.255",
                "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                "64:ff9b::a9fe:a9fe")) {
            assertThat(guard.refusal(ip(a))).as(a).isPresent();
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        AddressGuard guard = new AddressGuard(List.of());
        for (String a : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                "64:ff9b::808:808")) {
            assertThat(guard.refusal(ip(a))).as(a).isEmpty();
        }
    }

    @Test
    void anAdminsAllowedRangesAndAddressesPassAndNothingElse() throws Exception {
        AddressGuard guard = new AddressGuard(List.of("127.0.0.1/32", "10.20.0.0/16", "fd00::7"));
        assertThat(guard.refusal(ip("127.0.0.1"))).isEmpty();
        assertThat(guard.refusal(ip("10.20.3.4"))).isEmpty();
        assertThat(guard.refusal(ip("fd00::7"))).isEmpty();
        assertThat(guard.refusal(ip("127.0.0.2"))).isPresent();
        assertThat(guard.refusal(ip("10.21.0.1"))).isPresent();
    }

    @Test
    void anAddressLiteralTargetIsCheckedWithoutDns() throws Exception {
        assertThat(new AddressGuard(List.of()).check("169.254.169.254"))
                .isInstanceOfSatisfying(AddressGuard.Refused.class,
                        r -> assertThat(r.reason()).contains("169.254.169.254 is a link-local (cloud metadata) address"));
        assertThat(new AddressGuard(List.of("localhost")).check("localhost"))
                .as("an allowed host name").isInstanceOf(AddressGuard.Allowed.class);
    }

    @Test
    void aBadAllowEntryNamesTheSetting() {
        assertThatThrownBy(() -> new AddressGuard(List.of("10.0.0.0/99")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("deliver.allow-private");
    }
}
