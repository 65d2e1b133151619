package dev.speck.pixels;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pixels and links the collector answers for, held in memory as immutable snapshots so the
 * hot path reads them without a lock or a query. Writes go through to the repository first.
 */
public final class PixelRegistry {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final PixelRepository repository;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Pixel> pixels;
    private volatile Map<String, TrackedLink> links;

    public PixelRegistry(PixelRepository repository) {
        this.repository = repository;
        reload();
    }

    /** Reads the repository again (for changes made by another process). */
    public void reload() {
        Map<String, Pixel> p = new HashMap<>();
        repository.loadPixels().forEach(px -> p.put(px.id(), px));
        Map<String, TrackedLink> l = new HashMap<>();
        repository.loadLinks().forEach(link -> l.put(link.code(), link));
        pixels = Map.copyOf(p);
        links = Map.copyOf(l);
    }

    public Pixel pixel(String id) {
        return pixels.get(id);
    }

    public TrackedLink link(String code) {
        return links.get(code);
    }

    public Collection<Pixel> pixels() {
        return pixels.values();
    }

    public Collection<TrackedLink> links() {
        return links.values();
    }

    public synchronized Pixel createPixel(String name, List<String> allowedOrigins) {
        String id;
        do {
            id = randomId(10);
        } while (pixels.containsKey(id));
        Pixel pixel = new Pixel(id, name, true, allowedOrigins, Instant.now());
        return save(pixel);
    }

    public synchronized Pixel save(Pixel pixel) {
        repository.save(pixel);
        Map<String, Pixel> next = new HashMap<>(pixels);
        next.put(pixel.id(), pixel);
        pixels = Map.copyOf(next);
        return pixel;
    }

    /** Forgets the pixel and its links: hits for it are refused as for an unknown pixel. */
    public synchronized void delete(Pixel pixel) {
        repository.delete(pixel);
        Map<String, Pixel> nextPixels = new HashMap<>(pixels);
        nextPixels.remove(pixel.id());
        Map<String, TrackedLink> nextLinks = new HashMap<>(links);
        nextLinks.values().removeIf(l -> l.pixel().equals(pixel.id()));
        pixels = Map.copyOf(nextPixels);
        links = Map.copyOf(nextLinks);
    }

    public synchronized TrackedLink createLink(String pixel, String destination, String campaign) {
        String code;
        do {
            code = randomId(7);
        } while (links.containsKey(code));
        TrackedLink link = new TrackedLink(code, pixel, destination, campaign, Instant.now());
        repository.save(link);
        Map<String, TrackedLink> next = new HashMap<>(links);
        next.put(code, link);
        links = Map.copyOf(next);
        return link;
    }

    private String randomId(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
