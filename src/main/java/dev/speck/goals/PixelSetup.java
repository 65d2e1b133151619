package dev.speck.goals;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.VisitorPrivacy;

import java.util.List;
import java.util.function.Consumer;

/**
 * Creating a pixel together with its privacy and first goals, and deleting one with what hangs off
 * it: the operations on a pixel that reach past the pixel registry.
 */
public final class PixelSetup {

    private final PixelRegistry pixels;
    private final GoalRegistry goals;
    private final Consumer<String> forget;

    /** @param forget told the id of each deleted pixel, to drop what is kept about it in memory (its activity) */
    public PixelSetup(PixelRegistry pixels, GoalRegistry goals, Consumer<String> forget) {
        this.pixels = pixels;
        this.goals = goals;
        this.forget = forget;
    }

    /** A new pixel; the goals were all checked (as drafts) before any of this is saved. */
    public Pixel create(String name, List<String> allowedOrigins, VisitorPrivacy privacy, List<GoalDraft> drafts) {
        Pixel created = pixels.createPixel(name, allowedOrigins);
        Pixel pixel = privacy.equals(created.privacy()) ? created : pixels.save(new Pixel(created.id(), created.name(),
                created.enabled(), created.allowedOrigins(), created.created(), privacy));
        drafts.forEach(d -> goals.create(pixel.id(), d));
        return pixel;
    }

    /** The pixel, its goals and links go; its stored events and achievements stay. */
    public void delete(Pixel pixel) {
        pixels.delete(pixel);
        goals.deletePixel(pixel.id());
        forget.accept(pixel.id());
    }
}
