package dev.speck.audiences;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvQuotingTest {

    @Test
    void commasQuotesAndLineBreaksAreQuotedAsRfc4180Says() {
        var member = new AudienceMember("c,1", "say \"hi\"", "a@b.example", null, "Line\nBreak", "Carriage\r\nReturn",
                null, null, null, List.of("v1"));
        var w = Exports.write(AudienceFormat.CSV, ExportOptions.none(), member);
        assertThat(w.text()).isEqualTo(String.join("\r\n",
                "customer_id,external_id,email,phone,first_name,last_name,country,zip,entered_at,visitor_ids",
                "\"c,1\",\"say \"\"hi\"\"\",a@b.example,,\"Line\nBreak\",\"Carriage\r\nReturn\",,,,v1", ""));
    }

    @Test
    void aStandardParserReadsBackEveryValueExactly() throws Exception {
        String tricky = "\"quoted\", then, commas\r\nand \"\" lines\n";
        var member = new AudienceMember("c-2", tricky, "a@b.example", null, " spaced ", "Ünïcödé 山田",
                null, null, null, List.of());
        var w = Exports.write(AudienceFormat.CSV, ExportOptions.none(), member);
        try (CSVParser parser = CSVParser.parse(new StringReader(w.text()),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).hasSize(1);
            CSVRecord r = records.get(0);
            assertThat(r.get("external_id")).isEqualTo(tricky);
            assertThat(r.get("first_name")).isEqualTo(" spaced ");
            assertThat(r.get("last_name")).isEqualTo("Ünïcödé 山田");
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(PlainRows.HEADER);
        }
    }

    @Test
    void aCellThatASpreadsheetWouldRunAsAFormulaStartsWithAnApostrophe() {
        var member = new AudienceMember("c-3", "=HYPERLINK(\"http://evil\")", "@a@b.example", "+49 30 901820", "-x",
                "Plain", null, null, null, List.of());
        var w = Exports.write(AudienceFormat.CSV, ExportOptions.none(), member);
        assertThat(w.lines().get(1))
                .isEqualTo("c-3,\"'=HYPERLINK(\"\"http://evil\"\")\",'@a@b.example,'+49 30 901820,'-x,Plain,,,,");
    }
}
