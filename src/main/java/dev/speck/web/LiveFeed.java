package dev.speck.web;

import dev.speck.access.Call;
import dev.speck.enrich.Event;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.http.Responses;
import dev.speck.pixels.Pixel;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET /api/pixels/{id}/live: stored events as server-sent events. The worker only writes the
 * headers; the loader, after each commit, puts the events in each subscriber's bounded buffer
 * (dropping the oldest when full) and the channel's own event loop writes them out as far as the
 * socket takes them. So neither a slow client nor many of them can hold up the loader or a worker.
 */
public final class LiveFeed implements dev.speck.store.StoredEventListener {

    static final int MAX_SUBSCRIBERS = 64;
    static final int BUFFER = 256;
    private static final long HEARTBEAT_SECONDS = 15;

    private final Map<String, List<Subscriber>> byPixel = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();

    /** GET /api/pixels/{pixel}/live: the answer holds the connection and subscribes it to the pixel's events. */
    Answer live(Call call, Pixel pixel) {
        if (subscribers.incrementAndGet() > MAX_SUBSCRIBERS) {
            subscribers.decrementAndGet();
            throw new BadRequest(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "at most " + MAX_SUBSCRIBERS + " live views at once");
        }
        return new Answer.Stream((ctx, ex) -> {
            Subscriber s = new Subscriber(ctx);
            List<Subscriber> list = byPixel.computeIfAbsent(pixel.id(), p -> new CopyOnWriteArrayList<>());
            list.add(s);
            ctx.channel().closeFuture().addListener(f -> {
                list.remove(s);
                subscribers.decrementAndGet();
                s.heartbeat.cancel(false);
            });
            Responses.startStream(ctx, ex, "text/event-stream; charset=utf-8");
            s.offer(": live events of pixel " + pixel.id() + "\n\n");
        });
    }

    @Override
    public boolean wants(String pixel) {
        if (byPixel.isEmpty()) {
            return false; // asked for every stored event: most of the time nobody watches
        }
        List<Subscriber> list = byPixel.get(pixel);
        return list != null && !list.isEmpty();
    }

    /** Called by the loader after each commit; never blocks. */
    @Override
    public void stored(List<Event> events) {
        if (byPixel.isEmpty()) {
            return;
        }
        for (Event e : events) {
            List<Subscriber> list = byPixel.get(e.hit().pixel());
            if (list == null || list.isEmpty()) {
                continue;
            }
            String message;
            try {
                message = "event: hit\ndata: " + ApiJson.MAPPER.writeValueAsString(describe(e)) + "\n\n";
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                continue;
            }
            for (Subscriber s : list) {
                s.offer(message);
            }
        }
    }

    int subscribers() {
        return subscribers.get();
    }

    private static Map<String, Object> describe(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.ofEpochMilli(e.hit().receivedAt()).toString());
        m.put("kind", e.hit().kind().wireName());
        m.put("name", e.hit().name());
        m.put("url", e.hit().page().url());
        m.put("channel", e.source() == null ? null : e.source().channel());
        m.put("source", e.source() == null ? null : e.source().source());
        m.put("country", e.geo() == null ? null : e.geo().country());
        m.put("geo_database", e.geo() == null ? null : e.geo().database()); // lets the console credit DB-IP
        m.put("deviceClass", e.device() == null ? null : e.device().deviceClass());
        m.put("browser", e.device() == null ? null : e.device().browser());
        m.put("value", e.hit().value().amount());
        m.put("currency", e.hit().value().currency());
        m.put("test", "true".equals(e.hit().props().get("test")));
        m.put("verdict", e.quality().verdict().wireName()); // the console marks hits that are not people
        m.put("reasons", e.quality().reasons());
        return m;
    }

    private static final class Subscriber {
        private final ChannelHandlerContext ctx;
        private final ArrayDeque<String> buffer = new ArrayDeque<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        final ScheduledFuture<?> heartbeat;

        Subscriber(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            // a comment line now and then: proxies and the idle closer see a live connection
            this.heartbeat = ctx.executor().scheduleAtFixedRate(() -> offer(": ping\n\n"),
                    HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        }

        void offer(String message) {
            synchronized (buffer) {
                if (buffer.size() >= BUFFER) {
                    buffer.pollFirst();
                }
                buffer.addLast(message);
            }
            if (drainScheduled.compareAndSet(false, true)) {
                ctx.executor().execute(this::drain);
            }
        }

        /** On the channel's event loop: writes what the socket takes now; the rest waits for the next offer. */
        private void drain() {
            drainScheduled.set(false);
            Channel ch = ctx.channel();
            if (!ch.isActive()) {
                return;
            }
            boolean wrote = false;
            while (ch.isWritable()) {
                String next;
                synchronized (buffer) {
                    next = buffer.pollFirst();
                }
                if (next == null) {
                    break;
                }
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(next, StandardCharsets.UTF_8)));
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }
}
