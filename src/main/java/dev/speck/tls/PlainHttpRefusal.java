package dev.speck.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Answers plain HTTP sent to the HTTPS port with 400 and a JSON error, then closes. The rest of
 * the request is read and dropped until the client closes, so the answer is not lost to a reset.
 */
final class PlainHttpRefusal extends ChannelInboundHandlerAdapter {

    private static final byte[] BODY = "{\"error\":\"this port speaks HTTPS only: use an https:// URL\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: " + BODY.length + "\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Connection: close\r\n\r\n" + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

    private boolean answered;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (answered) {
            return;
        }
        answered = true;
        ByteBuf response = Unpooled.wrappedBuffer(RESPONSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), 5, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
