package dev.speck.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The API described for tools: a hand-written OpenAPI 3 document kept next to this class. */
final class OpenApi {

    private static final byte[] DOCUMENT = load();

    private OpenApi() {
    }

    static byte[] document() {
        return DOCUMENT;
    }

    private static byte[] load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
