package dev.speck.customers;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Signs and checks identity claims with Speck's identity secret, the way Intercom's identity
 * verification works: {@code hex(HMAC-SHA256(secret, purpose ":" pixel ":" [expiry ":"] reference))}.
 * The message binds the purpose, the pixel and the customer reference, so a signature made for
 * one customer, one pixel or one kind of token is worthless for any other.
 */
public final class IdentitySigner {

    /** What a signature may be used for; part of the signed message. */
    public enum Purpose {
        /** {@code speck('identify', id, signature)} in the JS tag; signed by the site's backend. */
        IDENTIFY("identify"),
        /** {@code ?speck_id=<reference>.<expiry>.<signature>} on a landing URL; carries an expiry. */
        LANDING("landing"),
        /** {@code /o/{pixel}.gif?rcpt=<token>&sig=<signature>}: an email open that may join the reader's device. */
        EMAIL_OPEN("open");

        private final String wire;

        Purpose(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Purpose of(String wire) {
            for (Purpose p : values()) {
                if (p.wire.equals(wire) || p.name().equalsIgnoreCase(wire)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("purpose must be identify, landing or open");
        }
    }

    private final String secret;
    private final SecretKeySpec key;

    /** @param secret the identity secret as text; the site's backend uses the same text as its HMAC key */
    public IdentitySigner(String secret) {
        if (secret.length() < 32) {
            throw new IllegalArgumentException("the identity secret must be at least 32 characters");
        }
        this.secret = secret;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The secret, for admins to give to their site's backend. */
    public String secret() {
        return secret;
    }

    public String sign(Purpose purpose, String pixel, String reference) {
        return mac(purpose.wire() + ":" + pixel + ":" + reference);
    }

    /** A landing signature, which also binds its expiry (epoch seconds). */
    public String signLanding(String pixel, long expiresAt, String reference) {
        return mac(Purpose.LANDING.wire() + ":" + pixel + ":" + expiresAt + ":" + reference);
    }

    /** Constant-time: how much of a guess was right does not show in the time taken. */
    public boolean verify(Purpose purpose, String pixel, String reference, String signature) {
        return reference != null && pixel != null && equal(sign(purpose, pixel, reference), signature);
    }

    public boolean verifyLanding(String pixel, long expiresAt, String reference, String signature, long nowSeconds) {
        return reference != null && pixel != null && expiresAt >= nowSeconds
                && equal(signLanding(pixel, expiresAt, reference), signature);
    }

    private static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
