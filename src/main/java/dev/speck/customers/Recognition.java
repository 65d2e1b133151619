package dev.speck.customers;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import dev.speck.hit.Signals;
import dev.speck.enrich.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Recognises customers in a batch of events, on the loader thread before the batch is stored (so
 * an erasure that waits for the loader finds every link the batch made), and never on an event loop:
 * checks each claim's signature and keeps the visitor id → customer links.
 * <ul>
 *   <li>{@code speck('identify', id, signature)}: signed for purpose identify, this pixel and this id;</li>
 *   <li>a landing URL's {@code speck_id}: signed for landing, this pixel, an expiry and the id;</li>
 *   <li>an email open's recipient token with {@code sig}: signed for open, this pixel and the token;</li>
 *   <li>a tracked link's recipient token: the collector has already checked its link signature.</li>
 * </ul>
 * Unsigned identify is refused unless the operator allows it (customers.unsigned-identify): any page
 * script could otherwise claim to be any customer and read their profile into its own device.
 */
public final class Recognition {

    private static final Logger LOG = Logger.getLogger(Recognition.class.getName());

    private final IdentitySigner signer;
    private final CustomerRepository customers;
    private final boolean unsignedIdentify;
    private final AtomicLong recognised = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public Recognition(IdentitySigner signer, CustomerRepository customers, boolean unsignedIdentify) {
        this.signer = signer;
        this.customers = customers;
        this.unsignedIdentify = unsignedIdentify;
    }

    /** Never throws: recognition failing must not keep a batch from being stored. */
    public void recognise(List<Event> events) {
        List<IdentityClaim> claims = new ArrayList<>();
        for (Event event : events) {
            claims(event, claims);
        }
        if (claims.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                recognised.addAndGet(customers.link(claims));
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    LOG.log(Level.WARNING, "could not keep " + claims.size() + " identity links", e);
                    return;
                }
            }
        }
    }

    private void claims(Event event, List<IdentityClaim> out) {
        Hit hit = event.hit();
        String visitor = event.visitorId();
        if (visitor == null || "1".equals(hit.signals().get(Signals.ANONYMOUS))) {
            return; // stored without an identifier: there is nothing to link, by the visitor's choice
        }
        String pixel = hit.pixel();
        long now = hit.receivedAt();
        String identity = hit.signals().get(Signals.IDENTITY);
        String signature = hit.signals().get(Signals.IDENTITY_SIGNATURE);
        if (identity != null && hit.kind() != HitKind.EMAIL_OPEN) {
            boolean signed = signature != null && signer.verify(IdentitySigner.Purpose.IDENTIFY, pixel, identity, signature);
            if (signed || (signature == null && unsignedIdentify)) {
                out.add(new IdentityClaim(identity, visitor, pixel, "identify", now, true));
            } else {
                refused.incrementAndGet();
            }
        }
        LandingTokens.Token landing = LandingTokens.Token.parse(hit.signals().get(LandingTokens.SIGNAL));
        if (hit.signals().containsKey(LandingTokens.SIGNAL)) {
            if (landing != null && signer.verifyLanding(pixel, landing.expiresAt(), landing.reference(),
                    landing.signature(), now / 1000)) {
                out.add(new IdentityClaim(landing.reference(), visitor, pixel, "landing", now, true));
            } else {
                refused.incrementAndGet();
            }
        }
        String recipient = hit.email().recipient();
        if (recipient != null && hit.kind() == HitKind.LINK_CLICK) {
            out.add(new IdentityClaim(recipient, visitor, pixel, "link_click", now, false));
        } else if (recipient != null && hit.kind() == HitKind.EMAIL_OPEN && signature != null) {
            if (signer.verify(IdentitySigner.Purpose.EMAIL_OPEN, pixel, recipient, signature)) {
                out.add(new IdentityClaim(recipient, visitor, pixel, "email_open", now, false));
            } else {
                refused.incrementAndGet();
            }
        }
    }

    /** Claims that named a customer, since start. */
    public long recognised() {
        return recognised.get();
    }

    /** Claims refused for a missing, wrong or expired signature, since start. */
    public long refused() {
        return refused.get();
    }
}
