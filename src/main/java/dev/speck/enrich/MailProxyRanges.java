package dev.speck.enrich;

import dev.speck.hit.HitKind;
import io.netty.util.NetUtil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges mail providers fetch email images and check links from (a list shipped as
 * {@code mail-proxy-ranges.txt}, with its sources). Only email opens and link clicks are judged by
 * them: a provider's machine opens every message and follows every link on delivery, while a page
 * view from the same network may be a person at work there.
 */
final class MailProxyRanges {

    private record Entry(TrafficRule.Range range, TrafficQuality open, TrafficQuality click) {
    }

    private final List<Entry> entries;

    private MailProxyRanges(List<Entry> entries) {
        this.entries = entries;
    }

    /** The shipped list. */
    static MailProxyRanges shipped() {
        try (InputStream in = MailProxyRanges.class.getResourceAsStream("mail-proxy-ranges.txt")) {
            if (in == null) {
                throw new IllegalStateException("mail-proxy-ranges.txt is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of "CIDR provider"; # starts a comment. A line that is not one is a build error. */
    static MailProxyRanges parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String text = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+");
            TrafficRule.Range range = parts.length == 2 ? TrafficRule.Range.parse(parts[0]) : null;
            if (range == null || !parts[1].matches("[a-z0-9-]{1,40}")) {
                throw new IllegalArgumentException("not \"CIDR provider\": " + line);
            }
            entries.add(new Entry(range, TrafficQuality.of(Verdict.EMAIL_PROXY, "email-proxy:" + parts[1]),
                    TrafficQuality.of(Verdict.SCANNER, "scanner:" + parts[1] + "-link-check")));
        }
        return new MailProxyRanges(List.copyOf(entries));
    }

    /** The verdict for a hit of this kind from this address, or null when the list says nothing. */
    TrafficQuality classify(HitKind kind, String ip) {
        if ((kind != HitKind.EMAIL_OPEN && kind != HitKind.LINK_CLICK) || ip == null) {
            return null;
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(ip.strip());
        if (address == null) {
            return null;
        }
        for (Entry e : entries) {
            if (e.range().contains(address, 0)) {
                return kind == HitKind.EMAIL_OPEN ? e.open() : e.click();
            }
        }
        return null;
    }

    int size() {
        return entries.size();
    }
}
