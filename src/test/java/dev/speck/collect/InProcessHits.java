package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.journal.AppendOutcome;
import dev.speck.journal.HitJournal;
import dev.speck.journal.JournalBatch;
import dev.speck.journal.JournalPosition;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.PixelRepository;
import dev.speck.pixels.TrackedLink;
import dev.speck.privacy.AccountSettings;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The hit endpoints as the server wires them, answered in process (an embedded channel, no socket)
 * with a journal that keeps what it is given: a fuzz test sends thousands of requests a second
 * through them and sees both the answer and every hit that would have been stored.
 */
final class InProcessHits {

    static final String PIXEL = "fuzzpixel01";
    static final String LINK = "fuzzlink01";
    /** The peer of every request: a trusted proxy, so the forwarding headers are read. */
    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);

    /** The answer's status and the hits the journal took for it. */
    record Answer(int status, List<Hit> journaled) {
    }

    private final List<Hit> journaled = new ArrayList<>();
    private final HitEndpoints endpoints;

    InProcessHits() {
        PixelRepository pixels = new PixelRepository() {
            @Override
            public List<Pixel> loadPixels() {
                return List.of(new Pixel(PIXEL, "fuzz", true, List.of(), Instant.EPOCH));
            }

            @Override
            public List<TrackedLink> loadLinks() {
                return List.of(new TrackedLink(LINK, PIXEL, "https://shop.example/sale", "spring", Instant.EPOCH));
            }

            @Override
            public void save(Pixel pixel) {
            }

            @Override
            public void save(TrackedLink link) {
            }

            @Override
            public void delete(Pixel pixel) {
            }
        };
        HitRecorder recorder = new HitRecorder(new KeepingJournal(), new SpeckMetrics(), new PixelActivity());
        endpoints = new HitEndpoints(new CollectSettings(List.of("127.0.0.1/32"), null, null, 50, 30),
                new PixelRegistry(pixels), recorder, new LinkSigner(new byte[32]),
                new ClientAddresses(List.of("127.0.0.1/32")), () -> AccountSettings.DEFAULTS, hit -> false);
    }

    /** The request, or null for a URI that Netty's decoder would never hand over (a space, a line break). */
    static FullHttpRequest request(HttpMethod method, String uri, byte[] body) {
        try {
            return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.wrappedBuffer(body));
        } catch (IllegalArgumentException notARequestLine) {
            return null;
        }
    }

    /** Answers the request; an exception the endpoints let out is thrown here (a 500 in the server). */
    Answer send(FullHttpRequest request) {
        journaled.clear();
        int[] status = {-1};
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!endpoints.answer(ctx, new Exchange((FullHttpRequest) msg, PROXY))) {
                    status[0] = 0; // not a hit path: the route table's business
                }
            }
        });
        try {
            channel.writeInbound(request);
            channel.checkException();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                if (out instanceof FullHttpResponse r) {
                    status[0] = r.status().code();
                } else if (out.getClass().getSimpleName().equals("EncodedResponse")) {
                    status[0] = 200; // the pixel GIF, encoded once at start-up (a shared buffer: not released)
                    continue;
                }
                io.netty.util.ReferenceCountUtil.release(out);
            }
        } finally {
            channel.finishAndReleaseAll();
            io.netty.util.ReferenceCountUtil.safeRelease(request);
        }
        return new Answer(status[0], List.copyOf(journaled));
    }

    private final class KeepingJournal implements HitJournal {
        @Override
        public AppendOutcome append(Hit hit) {
            journaled.add(hit);
            return AppendOutcome.STORED;
        }

        @Override
        public JournalBatch poll(int maxHits) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void seek(Collection<JournalPosition> positions) {
        }

        @Override
        public void rewind() {
        }

        @Override
        public void release(Collection<JournalPosition> positions) {
        }

        @Override
        public void persisted(Collection<JournalPosition> positions) {
        }

        @Override
        public long backlogBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
