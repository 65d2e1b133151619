package dev.speck.collect;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The JS tag stays small and self-contained: every page that carries it pays for it. */
class TagSizeTest {

    /** "http" that is not the escaped scheme of a regex literal (/https?:\/\//), or a protocol-relative string. */
    private static final Pattern EXTERNAL_URL = Pattern.compile("(?i)http(?!s?\\??:\\\\/\\\\/)|[\"'`]//");

    @Test
    void tagGzippedIsUnderThreeKilobytes() throws IOException {
        byte[] tag = tag();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tag);
        }

        assertThat(tag.length).as("the tag's plain size").isGreaterThan(1000);
        assertThat(out.size()).as("the tag's gzipped size in bytes").isLessThan(3 * 1024);
    }

    /** README states the tag's gzipped size; it must be the measured one (to 0.1 KB), not a hope. */
    @Test
    void readmeStatesTheTagsMeasuredGzippedSize() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        Matcher stated = Pattern.compile("the JS tag \\(async, about (\\d+\\.\\d) KB gzipped").matcher(readme);
        assertThat(stated.find()).as("README names the tag's gzipped size as 'about N.N KB gzipped'").isTrue();
        int measured = new TagEndpoint(null).gzippedSize();
        assertThat(Double.parseDouble(stated.group(1))).as("the tag gzips to %d bytes", measured)
                .isEqualTo(Math.round(measured / 100.0) / 10.0);
    }

    @Test
    void tagLoadsNothingFromAnExternalUrl() throws IOException {
        String tag = new String(tag(), StandardCharsets.UTF_8);

        assertThat(externalUrls(tag)).isEmpty();
        assertThat(tag).as("the one regex that reads Speck's address from the tag's own src")
                .contains("https?:\\/\\/");
    }

    @Test
    void externalUrlCheckCatchesUrlsInStringsAndComments() {
        assertThat(externalUrls("fetch('https://cdn.example.com/x.js')")).isNotEmpty();
        assertThat(externalUrls("s.src = \"//cdn.example.com/x.js\"")).isNotEmpty();
        assertThat(externalUrls("/* see http://example.com */")).isNotEmpty();
        assertThat(externalUrls("var re = /^(https?:\\/\\/[^/]+)/;")).isEmpty();
    }

    private static List<String> externalUrls(String js) {
        List<String> found = new ArrayList<>();
        Matcher m = EXTERNAL_URL.matcher(js);
        while (m.find()) {
            found.add(js.substring(Math.max(0, m.start() - 20), Math.min(js.length(), m.end() + 40)));
        }
        return found;
    }

    private static byte[] tag() throws IOException {
        try (InputStream in = TagSizeTest.class.getResourceAsStream(TagEndpoint.RESOURCE)) {
            assertThat(in).as("the tag " + TagEndpoint.RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }
}
