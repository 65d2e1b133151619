package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.http.Answer;
import dev.speck.pixels.Pixel;

/** A route under /api/pixels/{pixel}: it runs once the pixel is known to exist (else the client gets 404). */
@FunctionalInterface
interface PixelHandler {

    Answer answer(Call call, Pixel pixel);
}
