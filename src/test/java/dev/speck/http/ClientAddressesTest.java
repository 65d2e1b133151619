package dev.speck.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The forwarded-header corpus (forwarded.tsv) and who is believed. */
class ClientAddressesTest {

    private static final List<String> TRUSTED = List.of("127.0.0.1/32", "10.0.0.0/8", "2001:db8:ffff::/48");
    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.200", 40000);

    @TestFactory
    Stream<DynamicTest> everyForwardedFormInTheCorpusResolvesAsListed() throws IOException {
        return corpus().map(line -> {
            String[] cols = line.split("\t", -1);
            ClientAddresses.Header header = ClientAddresses.Header.named(cols[0]);
            String expected = cols[2];
            return DynamicTest.dynamicTest(cols[0] + ": " + cols[1] + " -> " + expected, () -> {
                HttpHeaders headers = new DefaultHttpHeaders();
                for (String value : cols[1].split("\\|", -1)) {
                    headers.add(header.headerName(), value);
                }
                ClientAddresses.Resolved resolved = new ClientAddresses(TRUSTED, header).visitor(PROXY, headers);
                if (expected.startsWith("!")) {
                    assertThat(resolved.ip()).as("no address, never the proxy's").isNull();
                    assertThat(resolved.unusable()).isEqualTo(expected.substring(1));
                } else {
                    assertThat(resolved.ip()).isEqualTo(expected);
                    assertThat(resolved.unusable()).isNull();
                }
            });
        });
    }

    @Test
    void corpusHoldsEnoughForms() throws IOException {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(45);
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        HttpHeaders headers = headers("X-Forwarded-For", "81.2.69.142:1234", "Forwarded", "for=81.2.69.142");

        assertThat(new ClientAddresses(TRUSTED).visitor(STRANGER, headers).ip()).isEqualTo("198.51.100.200");
        assertThat(new ClientAddresses(TRUSTED, ClientAddresses.Header.FORWARDED).visitor(STRANGER, headers).ip())
                .isEqualTo("198.51.100.200");
        assertThat(new ClientAddresses(List.of()).visitor(PROXY, headers).ip()).isEqualTo("127.0.0.1");
    }

    @Test
    void onlyTheConfiguredHeaderIsRead() {
        HttpHeaders both = headers("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=192.0.2.60");

        assertThat(new ClientAddresses(TRUSTED).visitor(PROXY, both).ip()).isEqualTo("203.0.113.9");
        assertThat(new ClientAddresses(TRUSTED, ClientAddresses.Header.FORWARDED).visitor(PROXY, both).ip())
                .isEqualTo("192.0.2.60");
        assertThat(new ClientAddresses(TRUSTED, ClientAddresses.Header.FORWARDED)
                .visitor(PROXY, headers("X-Forwarded-For", "203.0.113.9")).ip())
                .as("the proxy's own request: it forwarded no one").isEqualTo("127.0.0.1");
    }

    @Test
    void whoAskedFallsBackToThePeerWhereAHitWouldHaveNoAddress() {
        HttpHeaders garbage = headers("X-Forwarded-For", "garbage");

        assertThat(new ClientAddresses(TRUSTED).visitor(PROXY, garbage).ip()).isNull();
        assertThat(new ClientAddresses(TRUSTED).clientIp(PROXY, garbage)).isEqualTo("127.0.0.1");
    }

    @Test
    void aValueOfTheConfiguredHeaderResolvesAsTheHeaderWould() {
        assertThat(new ClientAddresses(TRUSTED).visitor(PROXY, "81.2.69.142:1234").ip()).isEqualTo("81.2.69.142");
        assertThat(new ClientAddresses(TRUSTED, ClientAddresses.Header.FORWARDED)
                .visitor(PROXY, "for=\"[2001:db8:cafe::17]:4711\"").ip()).isEqualTo("2001:db8:cafe::17");
        assertThat(new ClientAddresses(TRUSTED).visitor(PROXY, (String) null).ip()).isEqualTo("127.0.0.1");
    }

    @Test
    void theVisitorsSchemeComesFromForwardedWhenConfiguredElseFromXForwardedProto() {
        HttpsPolicy rfc = new HttpsPolicy(false, new ClientAddresses(TRUSTED, ClientAddresses.Header.FORWARDED), null);
        HttpsPolicy xff = new HttpsPolicy(false, new ClientAddresses(TRUSTED), null);

        assertThat(rfc.secure(PROXY, headers("Forwarded", "for=192.0.2.60;proto=https, for=10.0.0.1;proto=http")))
                .isTrue();
        assertThat(rfc.secure(PROXY, headers("Forwarded", "for=192.0.2.60;proto=http", "X-Forwarded-Proto", "https")))
                .isFalse();
        assertThat(rfc.secure(PROXY, headers("Forwarded", "for=192.0.2.60", "X-Forwarded-Proto", "https"))).isTrue();
        assertThat(rfc.secure(STRANGER, headers("Forwarded", "for=192.0.2.60;proto=https"))).isFalse();
        assertThat(xff.secure(PROXY, headers("Forwarded", "for=192.0.2.60;proto=https"))).isFalse();
        assertThat(xff.secure(PROXY, headers("X-Forwarded-Proto", "https, http"))).isTrue();
    }

    @Test
    void aChainLongerThanAnyRealOneKeepsItsNearEnd() {
        String far = String.join(", ", java.util.Collections.nCopies(500, "garbage"));
        HttpHeaders headers = headers("X-Forwarded-For", far + ", 81.2.69.142, 10.0.0.1");

        assertThat(new ClientAddresses(TRUSTED).visitor(PROXY, headers).ip()).isEqualTo("81.2.69.142");
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static Stream<String> corpus() throws IOException {
        try (InputStream in = ClientAddressesTest.class.getResourceAsStream("/dev/speck/http/forwarded.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList().stream();
        }
    }
}
