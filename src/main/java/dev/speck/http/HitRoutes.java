package dev.speck.http;

import dev.speck.hit.Rejection;
import io.netty.channel.ChannelHandlerContext;

/**
 * The hit endpoints as the HTTP layer sees them: answered on the event loop, before any request
 * could go to a web worker. Owned here so that the server does not depend on the collector;
 * collect/HitEndpoints implements it.
 */
public interface HitRoutes {

    /** Answers the request when it is a hit (image, tag, beacon, email open, link); false otherwise. */
    boolean answer(ChannelHandlerContext ctx, Exchange ex);

    /**
     * A request the server refused before any endpoint saw it (too large, undecodable): counted
     * like a refused hit, since it may have been one.
     */
    void refused(Rejection reason);
}
