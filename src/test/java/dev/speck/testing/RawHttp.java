package dev.speck.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request at a time on a kept-alive connection. For what
 * java.net.http refuses to send (invalid escapes, huge headers) and for load whose every
 * exchange must be accounted for (no hidden retries, no pooling).
 */
public final class RawHttp implements AutoCloseable {

    /** A response as read off the wire; header names in lower case. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    public RawHttp(int port) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        // generous: a 5,000-row import answered after 30 s once on a two-core machine busy with other suites
        socket.setSoTimeout(120_000);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = "127.0.0.1:" + port;
    }

    /** One request on a new connection that is closed afterwards. */
    public static Response once(int port, String method, String target, String extraHeaders, byte[] body)
            throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            return http.send(method, target, extraHeaders, body);
        }
    }

    public Response get(String target) throws IOException {
        return send("GET", target, "", null);
    }

    /** {@code extraHeaders} are complete lines, each ending in CRLF. */
    public Response send(String method, String target, String extraHeaders, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        if (!extraHeaders.regionMatches(true, 0, "User-Agent:", 0, 11) && !extraHeaders.toLowerCase().contains("\nuser-agent:")) {
            head.append("User-Agent: speck-tests\r\n"); // a test's own comes instead (a person's browser, say)
        }
        head.append(extraHeaders);
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read();
    }

    /** The body in chunks of {@code chunk} bytes, with no stated length (Transfer-Encoding: chunked). */
    public Response sendChunked(String method, String target, String extraHeaders, byte[] body, int chunk)
            throws IOException {
        String head = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: speck-tests\r\n"
                + extraHeaders + "Transfer-Encoding: chunked\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read();
    }

    /** Writes bytes as they are: several requests at once, to test pipelining. */
    public void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads the next response (of a request sent with {@link #write}). */
    public Response readResponse() throws IOException {
        return read();
    }

    /** Reads the next response to a HEAD request: its headers only, as there is no body. */
    public Response readHeadResponse() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.substring(9, 12)), headers, new byte[0]);
    }

    private Response read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        if (length != null && body.length < Integer.parseInt(length)) {
            throw new EOFException("connection closed inside a response body");
        }
        return new Response(Integer.parseInt(status.substring(9, 12)), headers, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
