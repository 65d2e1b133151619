package dev.speck.enrich;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpPrefixesTest {

    @Test
    void ipv4KeepsItsSlash24() {
        assertThat(IpPrefixes.truncate("203.0.113.77")).isEqualTo("203.0.113.0");
    }

    @Test
    void ipv6KeepsItsSlash48InCompressedForm() {
        assertThat(IpPrefixes.truncate("2001:db8:abcd:12:3456:789a:bcde:f012")).isEqualTo("2001:db8:abcd::");
        assertThat(IpPrefixes.truncate("2001:DB8::1")).isEqualTo("2001:db8::");
    }

    @Test
    void ipv4MappedIpv6IsTruncatedAsIpv4() {
        assertThat(IpPrefixes.truncate("::ffff:198.51.100.9")).isEqualTo("198.51.100.0");
    }

    @Test
    void garbageAndHostNamesGiveNullWithoutDns() {
        assertThat(IpPrefixes.truncate(null)).isNull();
        assertThat(IpPrefixes.truncate("")).isNull();
        assertThat(IpPrefixes.truncate("not an ip")).isNull();
        assertThat(IpPrefixes.truncate("example.com")).isNull();
        assertThat(IpPrefixes.truncate("localhost")).isNull();
        assertThat(IpPrefixes.truncate("256.1.1.1")).isNull();
        assertThat(IpPrefixes.truncate("1.2.3")).isNull();
    }
}
