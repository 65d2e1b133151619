package dev.speck.http;

import dev.speck.hit.Rejection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each request to its endpoint. Pixel hits are answered on the event loop (they only parse
 * and copy into the journal: {@link HitRoutes}); everything else goes to the web worker pool.
 */
@ChannelHandler.Sharable
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = Logger.getLogger(HttpRouter.class.getName());

    private final HitRoutes hits;
    private final WebRoutes web;
    private final Executor webWorkers;
    private final HttpsPolicy https;

    HttpRouter(HitRoutes hits, WebRoutes web, Executor webWorkers, HttpsPolicy https) {
        super(false);
        this.hits = hits;
        this.web = web;
        this.webWorkers = webWorkers;
        this.https = https;
    }

    /**
     * Requests of one connection that arrived while an earlier one was with a web worker. HTTP/1.1
     * answers pipelined requests in order, so they wait (in arrival order) rather than being
     * answered around it: a pixel hit behind an API call, or two API calls on two workers.
     * Touched on the event loop only; bounded by {@link ServerCodec#MAX_PIPELINED}.
     */
    private static final class Waiting {
        boolean workerBusy;
        final java.util.ArrayDeque<FullHttpRequest> requests = new java.util.ArrayDeque<>(4);
    }

    private static final io.netty.util.AttributeKey<Waiting> WAITING = io.netty.util.AttributeKey.valueOf("speck.waiting");

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Waiting waiting = ctx.channel().attr(WAITING).get();
        if (waiting != null && waiting.workerBusy) {
            waiting.requests.add(request); // released when answered, or when the connection closes
            return;
        }
        answer(ctx, request);
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean handedOff = false;
        try {
            Exchange ex = new Exchange(request, (InetSocketAddress) ctx.channel().remoteAddress(), https);
            if (request.decoderResult().isFailure()) {
                badRequest(ctx, ex, request.decoderResult().cause());
                return;
            }
            handedOff = route(ctx, ex);
        } finally {
            if (!handedOff) {
                ReferenceCountUtil.release(request);
            }
        }
    }

    /** Returns true when the request went to a worker, which then releases it. */
    private boolean route(ChannelHandlerContext ctx, Exchange ex) {
        if (hits.answer(ctx, ex)) {
            return false;
        }
        Waiting waiting = ctx.channel().attr(WAITING).get();
        if (waiting == null) {
            waiting = new Waiting();
            ctx.channel().attr(WAITING).set(waiting);
        }
        Waiting queue = waiting;
        try {
            webWorkers.execute(() -> {
                try {
                    web.handle(ctx, ex);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "request " + ex.request().method() + " " + ex.path() + " failed", e);
                    Responses.error(ctx, ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
                } finally {
                    ReferenceCountUtil.release(ex.request());
                    // queued behind the answer's own write on the event loop, so it goes out first
                    ctx.executor().execute(() -> next(ctx, queue));
                }
            });
            queue.workerBusy = true;
            return true;
        } catch (RejectedExecutionException e) {
            Responses.error(ctx, ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many requests in progress");
            return false;
        }
    }

    /**
     * A request Netty could not decode (too long a line or headers, bad syntax). Its path may be
     * lost, so a GET gets the GIF (it may be an image in a page) and a rejection is counted.
     */
    private void badRequest(ChannelHandlerContext ctx, Exchange ex, Throwable cause) {
        boolean tooLong = cause instanceof TooLongFrameException;
        hits.refused(tooLong ? Rejection.TOO_LARGE : Rejection.MALFORMED_REQUEST);
        Exchange closing = ex.closing();
        if (ex.request().method() == HttpMethod.GET) {
            Responses.gif(ctx, closing);
        } else {
            Responses.error(ctx, closing, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST, tooLong ? "request line or headers too large" : "malformed request");
        }
    }

    /** The worker has answered: the requests that waited for it are answered in turn. */
    private void next(ChannelHandlerContext ctx, Waiting waiting) {
        waiting.workerBusy = false;
        FullHttpRequest request;
        while (!waiting.workerBusy && (request = waiting.requests.poll()) != null) {
            if (ctx.channel().isActive()) {
                answer(ctx, request);
            } else {
                ReferenceCountUtil.release(request);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Waiting waiting = ctx.channel().attr(WAITING).get();
        if (waiting != null) {
            waiting.requests.forEach(ReferenceCountUtil::release);
            waiting.requests.clear();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
