package dev.speck.web;

import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.HttpsPolicy;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerInfoTest {

    private static Map<String, Object> describe(String host, HttpsPolicy policy, String... headers) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/server",
                Unpooled.EMPTY_BUFFER);
        request.headers().set("Host", host);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        Exchange ex = new Exchange(request, new InetSocketAddress("10.1.2.3", 40000), policy);
        return ServerInfo.describe(ex, ServerInfo.baseUrl(ex));
    }

    @Test
    void plainHttpOnAPublicHostWarns() {
        Map<String, Object> info = describe("speck.example.com", HttpsPolicy.PLAIN);
        assertThat(info.get("secure")).isEqualTo(false);
        assertThat(info.get("baseUrl")).isEqualTo("http://speck.example.com");
        assertThat((String) info.get("plainHttpWarning")).contains("http://speck.example.com", "plain HTTP");
    }

    @Test
    void plainHttpOnThisMachineDoesNotWarn() {
        for (String host : List.of("localhost:8080", "127.0.0.1:8080", "[::1]:8080", "app.localhost", "127.1.2.3")) {
            assertThat(describe(host, HttpsPolicy.PLAIN).get("plainHttpWarning")).as(host).isNull();
        }
        assertThat(describe("10.0.0.5:8080", HttpsPolicy.PLAIN).get("plainHttpWarning")).isNotNull();
        assertThat(describe("localhost.example.com", HttpsPolicy.PLAIN).get("plainHttpWarning")).isNotNull();
    }

    @Test
    void httpsDoesNotWarnWhetherServedByTlsOrATrustedProxy() {
        HttpsPolicy tls = new HttpsPolicy(true, new ClientAddresses(List.of()), "max-age=1");
        HttpsPolicy proxied = new HttpsPolicy(false, new ClientAddresses(List.of("10.0.0.0/8")), "max-age=1");
        HttpsPolicy otherProxy = new HttpsPolicy(false, new ClientAddresses(List.of("192.168.0.0/16")), "max-age=1");

        assertThat(describe("speck.example.com", tls)).containsEntry("plainHttpWarning", null)
                .containsEntry("baseUrl", "https://speck.example.com").containsEntry("tls", true);
        assertThat(describe("speck.example.com", proxied, "X-Forwarded-Proto", "https, http"))
                .containsEntry("plainHttpWarning", null).containsEntry("scheme", "https");
        assertThat(describe("speck.example.com", otherProxy, "X-Forwarded-Proto", "https").get("plainHttpWarning"))
                .as("the header from an address that is not a trusted proxy").isNotNull();
    }
}
