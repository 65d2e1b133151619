package dev.speck.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AudienceFormatTest {

    @Test
    void eachFormatHasItsWireNameContentTypeAndFileSuffix() {
        assertThat(AudienceFormat.wireNames()).isEqualTo("csv, json, meta, google, linkedin");
        for (AudienceFormat f : AudienceFormat.values()) {
            assertThat(AudienceFormat.byWireName(f.wireName())).contains(f);
        }
        assertThat(AudienceFormat.byWireName("CSV")).isEmpty();
        assertThat(AudienceFormat.byWireName("tiktok")).isEmpty();
        assertThat(AudienceFormat.JSON.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(AudienceFormat.META.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(AudienceFormat.CSV.fileSuffix()).isEqualTo(".csv");
        assertThat(AudienceFormat.JSON.fileSuffix()).isEqualTo(".json");
        assertThat(AudienceFormat.GOOGLE.fileSuffix()).isEqualTo(".google.csv");
        assertThat(AudienceFormat.LINKEDIN.hashed()).isTrue();
        assertThat(AudienceFormat.CSV.hashed()).isFalse();
    }

    @Test
    void thePlainCsvListsEveryFieldAsStoredUnderItsHeader() {
        var w = Exports.write(AudienceFormat.CSV, ExportOptions.none(), Exports.zoe(),
                AudienceMember.visitor("v-9", null));
        assertThat(w.lines()).containsExactly(
                "customer_id,external_id,email,phone,first_name,last_name,country,zip,entered_at,visitor_ids",
                "c-1,shop-77,  Joe.Smith@Example.COM ,(650) 555-1234,Zoë-Anne,O'Brien,us,94025-1234,"
                        + "2026-12-01T09:30:00Z,v-a v-b",
                ",,,,,,,,,v-9",
                "");
        assertThat(w.counts()).isEqualTo(new ExportCounts(2, 0, 0));
    }

    @Test
    void thePlainJsonIsAnArrayWithOneObjectPerMember() throws Exception {
        var w = Exports.write(AudienceFormat.JSON, ExportOptions.none(), Exports.zoe(),
                AudienceMember.visitor("v-9", Instant.parse("2026-12-02T00:00:00Z")));
        JsonNode array = new ObjectMapper().readTree(w.text());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        JsonNode zoe = array.get(0);
        assertThat(zoe.get("customerId").asText()).isEqualTo("c-1");
        assertThat(zoe.get("externalId").asText()).isEqualTo("shop-77");
        assertThat(zoe.get("email").asText()).isEqualTo("  Joe.Smith@Example.COM ");
        assertThat(zoe.get("phone").asText()).isEqualTo("(650) 555-1234");
        assertThat(zoe.get("firstName").asText()).isEqualTo("Zoë-Anne");
        assertThat(zoe.get("lastName").asText()).isEqualTo("O'Brien");
        assertThat(zoe.get("country").asText()).isEqualTo("us");
        assertThat(zoe.get("zip").asText()).isEqualTo("94025-1234");
        assertThat(zoe.get("enteredAt").asText()).isEqualTo("2026-12-01T09:30:00Z");
        assertThat(zoe.get("visitorIds")).extracting(JsonNode::asText).containsExactly("v-a", "v-b");
        JsonNode visitor = array.get(1);
        assertThat(visitor.get("customerId").isNull()).isTrue();
        assertThat(visitor.get("email").isNull()).isTrue();
        assertThat(visitor.get("enteredAt").asText()).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(w.counts()).isEqualTo(new ExportCounts(2, 0, 0));
    }

    @Test
    void anEmptyAudienceIsAnEmptyArrayOrAHeaderAlone() {
        assertThat(Exports.write(AudienceFormat.JSON, ExportOptions.none()).text()).isEqualTo("[]");
        assertThat(Exports.write(AudienceFormat.META, ExportOptions.none()).text())
                .isEqualTo("email,phone,fn,ln,zip,country\r\n");
    }

    @Test
    void writingToAStreamGivesUtf8AndLeavesTheStreamOpen() throws Exception {
        var out = new ByteArrayOutputStream() {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        };
        ExportCounts counts = AudienceFormat.CSV.write(List.of(Exports.zoe()).iterator(), out, ExportOptions.none());
        assertThat(counts.written()).isEqualTo(1);
        assertThat(out.closed).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(",Zoë-Anne,");
        assertThat(out.toByteArray()).containsSequence("Zo\u00eb".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMemberNeedsACustomerIdOrAVisitorId() {
        assertThatThrownBy(() -> new AudienceMember(" ", null, "a@b.c", null, null, null, null, null, null,
                List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer id or a visitor id");
    }

    @Test
    void anUnknownDefaultCountryIsRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> ExportOptions.defaultCountry("XX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ISO 3166-1 alpha-2").hasMessageContaining("'XX'");
        assertThat(ExportOptions.defaultCountry(" de ").defaultCountry()).isEqualTo("DE");
    }
}
