package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Rejection;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.Responses;

import dev.speck.pixels.Pixel;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A tracked link, {@code GET /l/{code}}: records the click and redirects to the destination Speck
 * stored for the code. Only codes Speck issued redirect, so it is no open redirect. A signed
 * recipient token ({@code rcpt} + {@code sig}) is recorded; an unsigned or forged one is not.
 */
final class LinkEndpoint {

    private final PixelRegistry pixels;
    private final HitRecorder recorder;
    private final CollectSettings settings;
    private final ClientAddresses addresses;
    private final LinkSigner signer;
    private final Clock clock;
    private final PrivacyGate privacy;

    LinkEndpoint(PixelRegistry pixels, HitRecorder recorder, CollectSettings settings, ClientAddresses addresses,
                 LinkSigner signer, Clock clock, PrivacyGate privacy) {
        this.privacy = privacy;
        this.pixels = pixels;
        this.recorder = recorder;
        this.settings = settings;
        this.addresses = addresses;
        this.signer = signer;
        this.clock = clock;
    }

    void handle(ChannelHandlerContext ctx, Exchange ex, String code) {
        TrackedLink link = pixels.link(code);
        if (link == null) {
            recorder.reject(Rejection.UNKNOWN_LINK);
            Responses.text(ctx, ex, HttpResponseStatus.NOT_FOUND, "This link is unknown or was removed.\n");
            return;
        }
        record(ex, link);
        Responses.redirect(ctx, ex, link.destination());
    }

    private void record(Exchange ex, TrackedLink link) {
        Pixel pixel = pixels.pixel(link.pixel());
        if (pixel == null) {
            recorder.reject(Rejection.UNKNOWN_PIXEL);
            return;
        }
        if (!pixel.enabled()) {
            recorder.reject(Rejection.DISABLED_PIXEL, pixel.id());
            return;
        }
        if (privacy.refuse(ex, pixel) != null) {
            return;
        }
        String recipient;
        long time;
        try {
            recipient = Limits.bounded(ex.param("rcpt"), CollectSettings.MAX_TOKEN, "recipient token");
            time = clock.hitTime(ex);
        } catch (IllegalArgumentException e) {
            recipient = null;
            time = System.currentTimeMillis();
        }
        if (recipient != null && !signer.verify(link.code(), recipient, ex.param("sig"))) {
            recorder.reject(Rejection.BAD_LINK_SIGNATURE, pixel.id()); // the click is still recorded, without the token
            recipient = null;
        }
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader());
        String referrer = ex.header(HttpHeaderNames.REFERER);
        if (referrer != null && (referrer.length() > CollectSettings.MAX_URL || !referrer.startsWith("http"))) {
            referrer = null;
        }
        Hit click = Hit.of(time, HitKind.LINK_CLICK, link.pixel()).page(new Hit.Page(link.destination(), referrer, null))
                .client(facts.client()).email(new Hit.Email(link.campaign(), recipient)).link(new Hit.Link(link.code()))
                .build();
        Hit hit = privacy.apply(click, pixel);
        if (hit != null) {
            recorder.record(hit);
        }
    }
}
