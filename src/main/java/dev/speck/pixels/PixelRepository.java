package dev.speck.pixels;

import java.util.List;

/** Where pixels and tracked links are kept (the embedded store by default). */
public interface PixelRepository {

    List<Pixel> loadPixels();

    List<TrackedLink> loadLinks();

    void save(Pixel pixel);

    void save(TrackedLink link);

    /** Removes the pixel and its links; its stored events stay. */
    void delete(Pixel pixel);
}
