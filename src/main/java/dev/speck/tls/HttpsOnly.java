package dev.speck.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The first handler of a connection to the HTTPS port: a TLS handshake gets TLS; a plain HTTP
 * request gets a clear 400 instead of a dropped connection, as nginx does.
 */
final class HttpsOnly extends OptionalSslHandler {

    HttpsOnly(SslContext context) {
        super(context);
    }

    @Override
    protected ChannelHandler newNonSslHandler(ChannelHandlerContext context) {
        return new PlainHttpRefusal();
    }
}
