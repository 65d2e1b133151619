package dev.speck.collect;

import dev.speck.http.Exchange;
import dev.speck.http.Responses;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.VisitorPrivacy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the JS tag, {@code GET /p/{pixel}.js}. The tag is one static file for every pixel (it
 * reads its pixel and Speck's address from its own src), compressed once at start and cached by
 * browsers for an hour, with an ETag for revalidation. Pixels in first-party identity mode get the
 * same file with its first-party switch on (so a cookieless pixel's tag never stores an id).
 */
final class TagEndpoint {

    static final String RESOURCE = "/dev/speck/collect/speck.js";

    static final String FIRST_PARTY_SWITCH = "/*speck:fp*/false";

    private final PixelRegistry pixels;
    private final Variant cookieless;
    private final Variant firstParty;

    TagEndpoint(PixelRegistry pixels) {
        this.pixels = pixels;
        byte[] plain = load();
        String text = new String(plain, StandardCharsets.UTF_8);
        if (!text.contains(FIRST_PARTY_SWITCH)) {
            throw new IllegalStateException("the JS tag lacks its first-party switch " + FIRST_PARTY_SWITCH);
        }
        this.cookieless = Variant.of(plain);
        this.firstParty = Variant.of(text.replace(FIRST_PARTY_SWITCH, "/*speck:fp*/true").getBytes(StandardCharsets.UTF_8));
    }

    /** One form of the tag, compressed once. */
    private record Variant(byte[] plain, byte[] gzipped, String etag) {
        static Variant of(byte[] plain) {
            return new Variant(plain, gzip(plain), "\"" + sha256(plain).substring(0, 16) + "\"");
        }
    }

    /** The tag's size on the wire when compressed, for tests and docs. */
    int gzippedSize() {
        return cookieless.gzipped().length;
    }

    void handle(ChannelHandlerContext ctx, Exchange ex, String pixelId) {
        Pixel pixel = pixels.pixel(pixelId);
        if (pixel == null) {
            Responses.send(ctx, ex, HttpResponseStatus.NOT_FOUND, "text/javascript; charset=utf-8",
                    "/* Speck: unknown pixel */\n".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        Variant tag = pixel.privacy().identity() == VisitorPrivacy.IdentityMode.FIRST_PARTY ? firstParty : cookieless;
        String etag = tag.etag();
        HttpHeaders h = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=3600")
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING)
                .set("Cross-Origin-Resource-Policy", "cross-origin");
        if (etag.equals(ex.header(HttpHeaderNames.IF_NONE_MATCH))) {
            Responses.send(ctx, ex, HttpResponseStatus.NOT_MODIFIED, null, new byte[0], h);
            return;
        }
        String accept = ex.header(HttpHeaderNames.ACCEPT_ENCODING);
        boolean gzip = accept != null && accept.contains("gzip");
        if (gzip) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        Responses.send(ctx, ex, HttpResponseStatus.OK, "text/javascript; charset=utf-8", gzip ? tag.gzipped() : tag.plain(), h);
    }

    private static byte[] load() {
        try (InputStream in = TagEndpoint.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the JS tag " + RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
