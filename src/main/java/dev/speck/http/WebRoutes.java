package dev.speck.http;

import io.netty.channel.ChannelHandlerContext;

/**
 * Everything that is not a pixel hit (the API, health, metrics, pages). Called on a worker thread,
 * never an event loop, so it may block on the store.
 */
public interface WebRoutes {

    void handle(ChannelHandlerContext ctx, Exchange ex);
}
