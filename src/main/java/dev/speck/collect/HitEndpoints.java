package dev.speck.collect;

import dev.speck.hit.Hit;
import dev.speck.hit.Rejection;
import dev.speck.http.ClientAddresses;
import dev.speck.http.Exchange;
import dev.speck.http.HitRoutes;
import dev.speck.http.Responses;
import dev.speck.pixels.PixelRegistry;
import dev.speck.privacy.AccountSettings;
import dev.speck.privacy.ConsentDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The hit endpoints and their paths: /p/{pixel}.gif, /p/{pixel}.js, /p/{pixel}/events,
 * /o/{pixel}.gif and /l/{code}. Matched by hand, not through the route table, because they are
 * answered on the event loop and this test is on every hit's path.
 */
public final class HitEndpoints implements HitRoutes {

    private final ImagePixelEndpoint images;
    private final BeaconEndpoint beacons;
    private final TagEndpoint tag;
    private final LinkEndpoint links;
    private final HitRecorder recorder;

    /**
     * @param account      the account settings in force, read per hit (a volatile snapshot, no I/O)
     * @param takesRefunds whether a goal the hit meets allows a value below zero; asked only for such values
     */
    public HitEndpoints(CollectSettings settings, PixelRegistry pixels, HitRecorder recorder, LinkSigner signer,
                        ClientAddresses addresses, Supplier<AccountSettings> account, Predicate<Hit> takesRefunds) {
        this(settings, pixels, recorder, signer, addresses, account, takesRefunds, java.time.Clock.systemUTC());
    }

    /** @param time the server's clock: each hit's time (tests make it jump) */
    public HitEndpoints(CollectSettings settings, PixelRegistry pixels, HitRecorder recorder, LinkSigner signer,
                        ClientAddresses addresses, Supplier<AccountSettings> account, Predicate<Hit> takesRefunds,
                        java.time.Clock time) {
        Clock clock = new Clock(settings.backfillToken(), time);
        Admission admission = new Admission(pixels, new ConsentDecision(account), recorder, takesRefunds);
        this.images = new ImagePixelEndpoint(admission, settings, addresses, clock);
        this.beacons = new BeaconEndpoint(admission, recorder, settings, addresses, clock);
        this.tag = new TagEndpoint(pixels);
        this.links = new LinkEndpoint(pixels, admission, recorder, settings, addresses, signer, clock);
        this.recorder = recorder;
    }

    @Override
    public boolean answer(ChannelHandlerContext ctx, Exchange ex) {
        String path = ex.path();
        HttpMethod method = ex.request().method();
        // HEAD is answered as GET would be, without a body (the codec drops it) and without
        // recording anything: link checkers and mail scanners ask HEAD, and are not visitors.
        boolean head = method == HttpMethod.HEAD;
        boolean read = head || method == HttpMethod.GET;
        if (path.startsWith("/p/")) {
            if (read && path.endsWith(".gif") && path.indexOf('/', 3) < 0) {
                image(ctx, ex, path.substring(3, path.length() - 4), false, head);
            } else if (read && path.endsWith(".js") && path.indexOf('/', 3) < 0) {
                tag.handle(ctx, ex, path.substring(3, path.length() - 3)); // records nothing either way
            } else if (path.endsWith("/events") && path.indexOf('/', 3) == path.length() - 7) {
                beacons.handle(ctx, ex, path.substring(3, path.length() - 7));
            } else {
                Responses.error(ctx, ex, HttpResponseStatus.NOT_FOUND,
                        "pixel URLs are /p/{pixel}.gif, /p/{pixel}.js and /p/{pixel}/events");
            }
            return true;
        }
        if (path.startsWith("/o/") && path.endsWith(".gif") && path.indexOf('/', 3) < 0 && read) {
            image(ctx, ex, path.substring(3, path.length() - 4), true, head);
            return true;
        }
        if (path.startsWith("/l/") && path.indexOf('/', 3) < 0 && read) {
            if (head) {
                links.head(ctx, ex, path.substring(3));
            } else {
                links.handle(ctx, ex, path.substring(3));
            }
            return true;
        }
        return false;
    }

    private void image(ChannelHandlerContext ctx, Exchange ex, String pixelId, boolean emailOpen, boolean head) {
        if (head) {
            Responses.gif(ctx, ex); // every image request gets the GIF, so HEAD need not look the pixel up
        } else {
            images.handle(ctx, ex, pixelId, emailOpen);
        }
    }

    @Override
    public void refused(Rejection reason) {
        recorder.reject(reason);
    }
}
