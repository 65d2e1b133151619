package dev.speck.hit;

/**
 * Keys of {@link Hit#signals()}: what a request said about consent and identity. The collector
 * only records them; the privacy rules and customer recognition downstream decide what they mean.
 */
public final class Signals {

    /** The visitor's consent as the page reported it: "granted" or "denied". */
    public static final String CONSENT = "consent";
    /** "1" when the hit must be stored without any identifier (consent missing, per the pixel's rule). */
    public static final String ANONYMOUS = "anonymous";
    /** The first-party visitor id the JS tag keeps on the site's own domain (only after consent). */
    public static final String FIRST_PARTY_ID = "fpid";
    /** A customer id the page or a landing URL claims for this visitor. */
    public static final String IDENTITY = "identity";
    /** The signature that proves {@link #IDENTITY} was issued by the site or by Speck. */
    public static final String IDENTITY_SIGNATURE = "identity_sig";
    /** "1" when the tag saw navigator.webdriver: a browser driven by a program (traffic quality). */
    public static final String WEBDRIVER = "webdriver";

    private Signals() {
    }
}
