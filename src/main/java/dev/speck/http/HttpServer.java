package dev.speck.http;


import dev.speck.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP server: Netty on native epoll where it can (measured here at about 0.9 of nginx for a
 * bare GIF), NIO elsewhere. One event loop per core answers hits inline; nothing per hit leaves
 * the event loop thread.
 */
public final class HttpServer implements AutoCloseable {

    /** Request line and headers together; beyond this a hit is refused. */
    public static final int MAX_LINE = 8 * 1024;
    public static final int MAX_HEADERS = 16 * 1024;
    /** Largest body of any request but a customer import (sendBeacon itself allows 64 KiB). */
    public static final int MAX_BODY = 64 * 1024;

    /**
     * Header validation is off: Speck never echoes request headers into a response, and checking
     * every header character showed in profiles of the hit path.
     */
    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADERS).setMaxChunkSize(8192)
            .setValidateHeaders(false);

    static {
        // Netty's leak detection records a stack trace for a sample of buffers: ~1 % of the event
        // loops' time in profiles. Off unless asked for (the tests ask for it).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final HttpRouter router;
    private final HitRoutes hits;
    private final ServerTls tls;
    private final HttpsPolicy https;
    private final int importMaxBody;
    private Channel channel;
    /** Import bodies (megabytes, collected before sign-in is checked) being uploaded at once, at most. */
    static final int CONCURRENT_IMPORT_UPLOADS = 2;
    private final java.util.concurrent.Semaphore importUploads =
            new java.util.concurrent.Semaphore(CONCURRENT_IMPORT_UPLOADS);

    /**
     * @param https   how requests are told to be secure; its TLS flag says whether {@code tls} is set
     * @param hits    the hit endpoints, answered on the event loop
     * @param web     everything else, answered on {@code webWorkers}
     * @param tls     the certificate to serve HTTPS with, or null for plain HTTP
     * @param importMaxBody the largest body of a customer CSV import (POST /api/customers/import)
     */
    public HttpServer(int eventLoops, HttpsPolicy https, HitRoutes hits, WebRoutes web, Executor webWorkers,
                      ServerTls tls, int importMaxBody) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.hits = hits;
        this.importMaxBody = importMaxBody;
        this.tls = tls;
        this.https = https;
        this.router = new HttpRouter(hits, web, webWorkers, https);
    }

    /** Binds and returns the port (useful with port 0). */
    public int start(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // The pooled allocator: Netty 4.2's default adaptive one answered ~25 % fewer hits
                // per second here (measured side by side with bench/traffic.lua).
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler());
                        }
                        ch.pipeline()
                                // Idle means nothing read for 2 minutes: watching writes too made Netty
                                // give every response a promise and a listener. A live stream, which
                                // only writes, takes this handler out (Responses.startStream).
                                .addLast(new IdleStateHandler(120, 0, 0, TimeUnit.SECONDS))
                                .addLast(new IdleCloser())
                                .addLast(new ServerCodec(DECODER))
                                .addLast(new RequestAggregator(MAX_BODY, importMaxBody, hits, https,
                                        importUploads))
                                .addLast(router);
                    }
                });
        channel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Customer import bodies being collected right now, each holding one of the few permits. */
    public int importUploadsInProgress() {
        return CONCURRENT_IMPORT_UPLOADS - importUploads.availablePermits();
    }

    /** How this server tells HTTPS requests: its own TLS, trusted proxies. */
    public HttpsPolicy httpsPolicy() {
        return https;
    }

    public String transport() {
        return channelType == EpollServerSocketChannel.class ? "epoll" : "nio";
    }

    /** Stops accepting and waits for requests in flight. */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
