package dev.speck.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Netty's HTTP/1.1 server codec (request decoder and response encoder sharing what the encoder
 * must know of each request), with one addition: a response that is already bytes, the pixel GIF
 * with its headers, goes to the socket without being encoded again. Encoding the GIF's response
 * object for every hit cost about 7 % of the event loops' time in profiles; Netty's own
 * {@code HttpServerCodec} cannot pass bytes through, as its encoder must also pair each response
 * with its request's method.
 *
 * <p>Like Netty's codec, it remembers which pipelined requests were HEAD (whose answers have no
 * body), up to {@link #MAX_PIPELINED} of them; a client that sends more without reading the answers
 * is disconnected.
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /** Requests a client may send ahead of their answers. */
    static final int MAX_PIPELINED = 64;

    /** One bit per request waiting for its answer, oldest lowest: set for HEAD. */
    private long heads;
    private int waiting;
    private boolean discard;
    private boolean closeAfterResponse;

    ServerCodec(HttpDecoderConfig config) {
        init(new Decoder(config), new Encoder());
    }

    /**
     * A whole response, status line to body; the buffer is shared and never released. The first
     * {@code headLength} bytes are the status line and headers: all a HEAD request gets.
     */
    record EncodedResponse(ByteBuf bytes, int headLength) {
    }

    private boolean nextIsHead() {
        if (waiting == 0) {
            return false;
        }
        boolean head = (heads & 1) != 0;
        heads >>>= 1;
        waiting--;
        return head;
    }

    private final class Decoder extends HttpRequestDecoder {

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    if (waiting == MAX_PIPELINED) {
                        discard = true;
                        buffer.skipBytes(buffer.readableBytes());
                        for (int j = i; j < out.size(); j++) {
                            io.netty.util.ReferenceCountUtil.release(out.get(j));
                        }
                        out.subList(i, out.size()).clear();
                        closeAfterResponse = true;
                        if (waiting == 0) {
                            ctx.close();
                        }
                        return;
                    }
                    if (HttpMethod.HEAD.equals(request.method())) {
                        heads |= 1L << waiting;
                    }
                    waiting++;
                }
            }
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            closeAfterResponse = true; // a request smuggling attempt: answer it, then close
        }
    }

    private final class Encoder extends HttpResponseEncoder {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof EncodedResponse encoded) {
                ByteBuf bytes = nextIsHead() ? encoded.bytes().slice(0, encoded.headLength()) : encoded.bytes().duplicate();
                ctx.write(bytes, closeAfterResponse ? closing(promise) : promise);
                return;
            }
            if (closeAfterResponse && msg instanceof LastHttpContent) {
                promise = closing(promise);
            }
            super.write(ctx, msg, promise);
        }

        private ChannelPromise closing(ChannelPromise promise) {
            closeAfterResponse = false;
            return promise.unvoid().addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // 100 Continue answers no request of its own
            }
            return nextIsHead() || super.isContentAlwaysEmpty(msg);
        }
    }
}
