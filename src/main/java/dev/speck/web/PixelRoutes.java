package dev.speck.web;

import dev.speck.http.Exchange;
import dev.speck.pixels.Pixel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;

/** Answers some of the resources under /api/pixels/{id}/. */
interface PixelRoutes {

    /**
     * @param parts the path after /api/, split at "/": pixels, {id}, resource, ...
     * @return false when the resource is not one of these routes
     */
    boolean handle(ChannelHandlerContext ctx, Exchange ex, Pixel pixel, String[] parts, HttpMethod method);
}
