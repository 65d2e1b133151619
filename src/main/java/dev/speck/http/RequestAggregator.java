package dev.speck.http;

import dev.speck.hit.Rejection;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Netty's request aggregator, with two changes. A body over the limit is refused like any other bad
 * input: counted under its reason and answered with the GIF (a GET) or a JSON error, instead of
 * Netty's bare 413 that reaches no endpoint and no counter. And the limit is chosen per request from
 * its request line: the customer CSV import may send megabytes, every other request (beacons above
 * all) keeps the small limit, whether it announces its length or sends chunks.
 *
 * <p>Import bodies are collected before anyone is signed in (checking a session or key is store
 * I/O, which an event loop must not wait for), so at most {@code importUploads} permits' worth of them
 * are collected at once: the megabytes an anonymous client can make Speck hold stay bounded, however
 * many connections it opens. An import that finds no permit keeps the small limit, and a larger body
 * is answered 503 with Retry-After.
 */
final class RequestAggregator extends HttpObjectAggregator {

    /** The one route whose body may be larger than {@link HttpServer#MAX_BODY}. */
    static final String IMPORT_PATH = "/api/customers/import";

    private final int maxBody;
    private final int importMaxBody;
    private final HitRoutes hits;
    private final HttpsPolicy https;
    private final Semaphore importUploads;
    /** The limit of the request being aggregated (one aggregator per connection, requests in turn). */
    private int limit;
    /** Whether the request being aggregated holds one of the import permits. */
    private boolean holdsPermit;
    /** Whether the next message is the empty content after a request passed on as bodiless. */
    private boolean skipEmptyContent;
    /** Whether it is an import that found every permit taken. */
    private boolean importsBusy;

    RequestAggregator(int maxBody, int importMaxBody, HitRoutes hits, HttpsPolicy https,
                      Semaphore importUploads) {
        super(Math.max(maxBody, importMaxBody));
        this.maxBody = maxBody;
        this.importMaxBody = importMaxBody;
        this.limit = maxBody;
        this.hits = hits;
        this.https = https;
        this.importUploads = importUploads;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (skipEmptyContent) {
            skipEmptyContent = false;
            if (msg == LastHttpContent.EMPTY_LAST_CONTENT) {
                return;
            }
        }
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpMessage) && bodiless(request)) {
            // A pixel hit: Netty's decoder follows it with an empty last content. Answering it needs
            // no aggregation (which allocated a composite buffer per hit), only the full-request view.
            releasePermit();
            out.add(withoutBody(request));
            skipEmptyContent = true;
            return;
        }
        if (msg instanceof HttpRequest request) {
            releasePermit();
            limit = limitFor(request);
        }
        try {
            super.decode(ctx, msg, out);
            if (!out.isEmpty() && out.get(out.size() - 1) instanceof FullHttpMessage) {
                releasePermit(); // collected: the body now waits for its worker, which refuses strangers at once
            }
        } catch (OverLimit over) {
            // a body sent without a length grew past this request's limit: answer as for a stated
            // length; the rest of the body is skipped (nothing is aggregated any more)
            try {
                handleOversizedMessage(ctx, over.request);
            } finally {
                releaseCurrentMessage();
            }
        }
    }

    /** The request line and headers as a full request with an empty body. */
    private static DefaultFullHttpRequest withoutBody(HttpRequest request) {
        return new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
    }

    /** A well-formed request that announced no body: no length (or 0), not chunked. */
    private static boolean bodiless(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return false;
        }
        HttpHeaders h = request.headers();
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        return (length == null || length.equals("0")) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    private int limitFor(HttpRequest request) {
        importsBusy = false;
        if (request.method() != HttpMethod.POST || importMaxBody <= maxBody) {
            return maxBody;
        }
        String uri = request.uri();
        int end = uri.indexOf('?');
        String path = end < 0 ? uri : uri.substring(0, end);
        if (!path.equals(IMPORT_PATH)) {
            return maxBody;
        }
        if (importUploads.tryAcquire()) {
            holdsPermit = true;
            return importMaxBody;
        }
        importsBusy = true;
        return maxBody;
    }

    private void releasePermit() {
        if (holdsPermit) {
            holdsPermit = false;
            importUploads.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePermit(); // the client went away in the middle of its upload
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        releasePermit();
        super.handlerRemoved(ctx);
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return super.isContentLengthInvalid(start, limit);
    }

    /**
     * {@code Expect: 100-continue} (curl sends it with larger uploads): "100 Continue" when the
     * stated length is within this request's limit; over it, no interim answer, so the request
     * takes the path of any oversized one (counted, answered with Speck's own error) and the
     * client learns before it sends the body.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (super.isContentLengthInvalid(start, limit)) {
            return null;
        }
        return super.newContinueResponse(start, limit, pipeline);
    }

    @Override
    protected void aggregate(FullHttpMessage aggregated, HttpContent content) throws Exception {
        if (aggregated.content().readableBytes() > limit && aggregated instanceof HttpRequest request) {
            throw new OverLimit(request);
        }
        super.aggregate(aggregated, content);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        releasePermit();
        // The aggregator skips the rest of the body, so a kept-alive connection stays usable.
        Exchange ex = new Exchange(withoutBody(request), (InetSocketAddress) ctx.channel().remoteAddress(), https);
        if (importsBusy) {
            Responses.send(ctx, ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json; charset=utf-8",
                    "{\"error\":\"other customer imports are being uploaded; try again in a few seconds\"}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new io.netty.handler.codec.http.DefaultHttpHeaders().set(
                            io.netty.handler.codec.http.HttpHeaderNames.RETRY_AFTER, "5"));
            return;
        }
        hits.refused(Rejection.TOO_LARGE);
        if (request.method() == HttpMethod.GET) {
            Responses.gif(ctx, ex);
        } else {
            Responses.error(ctx, ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body is larger than " + limit
                    + " bytes" + (limit == importMaxBody && importMaxBody != maxBody
                    ? " (customers.import-max-bytes): split the file" : ""));
        }
    }

    /** Thrown out of the aggregation to stop it; caught in {@link #decode}. */
    private static final class OverLimit extends RuntimeException {
        final HttpRequest request;

        OverLimit(HttpRequest request) {
            super(null, null, false, false);
            this.request = request;
        }
    }
}
