package dev.speck.collect;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;

/**
 * Netty's request aggregator, except that a body over the limit is refused like any other bad
 * input: counted under its reason and answered with the GIF (a GET) or a JSON error, instead of
 * Netty's bare 413 that reaches no endpoint and no counter.
 */
final class RequestAggregator extends HttpObjectAggregator {

    private final HitRecorder recorder;
    private final HttpsPolicy https;

    RequestAggregator(int maxBody, HitRecorder recorder, HttpsPolicy https) {
        super(maxBody);
        this.recorder = recorder;
        this.https = https;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        recorder.reject(Rejection.TOO_LARGE);
        // The aggregator skips the rest of the body, so a kept-alive connection stays usable.
        Exchange ex = new Exchange(new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE),
                (InetSocketAddress) ctx.channel().remoteAddress(), https);
        if (request.method() == HttpMethod.GET) {
            Responses.gif(ctx, ex);
        } else {
            Responses.error(ctx, ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body is larger than " + maxContentLength() + " bytes");
        }
    }
}
