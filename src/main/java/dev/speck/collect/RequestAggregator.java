package dev.speck.collect;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Netty's request aggregator, with two changes. A body over the limit is refused like any other bad
 * input: counted under its reason and answered with the GIF (a GET) or a JSON error, instead of
 * Netty's bare 413 that reaches no endpoint and no counter. And the limit is chosen per request from
 * its request line: the customer CSV import may send megabytes, every other request (beacons above
 * all) keeps the small limit, whether it announces its length or sends chunks.
 */
final class RequestAggregator extends HttpObjectAggregator {

    /** The one route whose body may be larger than {@link CollectorServer#MAX_BODY}. */
    static final String IMPORT_PATH = "/api/customers/import";

    private final int maxBody;
    private final int importMaxBody;
    private final HitRecorder recorder;
    private final HttpsPolicy https;
    /** The limit of the request being aggregated (one aggregator per connection, requests in turn). */
    private int limit;

    RequestAggregator(int maxBody, int importMaxBody, HitRecorder recorder, HttpsPolicy https) {
        super(Math.max(maxBody, importMaxBody));
        this.maxBody = maxBody;
        this.importMaxBody = importMaxBody;
        this.limit = maxBody;
        this.recorder = recorder;
        this.https = https;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpRequest request) {
            limit = limitFor(request);
        }
        try {
            super.decode(ctx, msg, out);
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

    private int limitFor(HttpRequest request) {
        if (request.method() != HttpMethod.POST) {
            return maxBody;
        }
        String uri = request.uri();
        int end = uri.indexOf('?');
        String path = end < 0 ? uri : uri.substring(0, end);
        return path.equals(IMPORT_PATH) ? importMaxBody : maxBody;
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return super.isContentLengthInvalid(start, limit);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
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
        recorder.reject(Rejection.TOO_LARGE);
        // The aggregator skips the rest of the body, so a kept-alive connection stays usable.
        Exchange ex = new Exchange(new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE),
                (InetSocketAddress) ctx.channel().remoteAddress(), https);
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
