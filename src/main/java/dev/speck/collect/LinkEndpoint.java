package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.HitParams;
import dev.speck.hit.Rejection;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.Responses;

import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLink;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/**
 * A tracked link, {@code GET /l/{code}}: records the click and redirects to the destination Speck
 * stored for the code. Only codes Speck issued redirect, so it is no open redirect. A signed
 * recipient token ({@code rcpt} + {@code sig}) is recorded; an unsigned or forged one is not.
 */
final class LinkEndpoint {

    private static final String UNKNOWN = "This link is unknown or was removed.\n";

    private final PixelRegistry pixels;
    private final Admission admission;
    private final HitRecorder recorder;
    private final CollectSettings settings;
    private final ClientAddresses addresses;
    private final LinkSigner signer;
    private final Clock clock;

    LinkEndpoint(PixelRegistry pixels, Admission admission, HitRecorder recorder, CollectSettings settings,
                 ClientAddresses addresses, LinkSigner signer, Clock clock) {
        this.pixels = pixels;
        this.admission = admission;
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
            Responses.text(ctx, ex, HttpResponseStatus.NOT_FOUND, UNKNOWN);
            return;
        }
        // Whatever the admission's result, the visitor goes where the link leads.
        admission.admit(link.pixel(), ex, drops -> List.of(click(ex, link, drops)));
        Responses.redirect(ctx, ex, link.destination());
    }

    /** HEAD: the answer a GET gets (the redirect, or 404 for an unknown code), recording nothing. */
    void head(ChannelHandlerContext ctx, Exchange ex, String code) {
        TrackedLink link = pixels.link(code);
        if (link == null) {
            Responses.text(ctx, ex, HttpResponseStatus.NOT_FOUND, UNKNOWN);
        } else {
            Responses.redirect(ctx, ex, link.destination());
        }
    }

    /** The click; a bad recipient, signature or time costs the token or the backfill, never the click. */
    private Hit click(Exchange ex, TrackedLink link, FieldDrops drops) {
        String recipient;
        long time;
        try {
            recipient = Limits.bounded(ex.param(HitParams.RECIPIENT), CollectSettings.MAX_TOKEN, "recipient token");
            time = clock.hitTime(ex);
        } catch (IllegalArgumentException | Limits.TooLarge e) {
            recipient = null;
            time = clock.now();
        }
        if (recipient != null && !signer.verify(link.code(), recipient, ex.param(HitParams.SIGNATURE))) {
            recorder.reject(Rejection.BAD_LINK_SIGNATURE, link.pixel()); // the click is still recorded, without the token
            recipient = null;
        }
        RequestFacts facts = RequestFacts.of(ex, addresses, settings.countryHeader(), drops);
        String referrer;
        try {
            referrer = HitFields.referrer(HitFields.header(ex, HttpHeaderNames.REFERER, HitFields.Field.REFERRER, drops), drops);
        } catch (Limits.TooLarge e) {
            referrer = null; // the click counts; a referrer over the limit is not worth losing it
        }
        return Hit.of(time, HitKind.LINK_CLICK, link.pixel()).page(new Hit.Page(link.destination(), referrer, null))
                .client(facts.client()).email(new Hit.Email(link.campaign(), recipient)).link(new Hit.Link(link.code()))
                .build();
    }
}
