package dev.speck.access;

import java.time.Instant;
import java.util.List;

/**
 * An API key as stored: never its secret, only the secret's hash (kept by the repository).
 *
 * @param pixels the pixel ids it covers; empty means every pixel, also ones created later
 * @param lastUsed null until first used
 */
public record ApiKey(String id, String name, KeyScope scope, List<String> pixels, Instant created, String createdBy,
                     Instant lastUsed) {

    public ApiKey {
        pixels = List.copyOf(pixels);
    }

    public boolean allPixels() {
        return pixels.isEmpty();
    }

    public boolean covers(String pixel) {
        return pixels.isEmpty() || pixels.contains(pixel);
    }
}
