package dev.speck.enrich;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Visitor ids for pixels in first-party mode: a keyed hash (a secret kept in the data folder) of
 * the pixel and the random id the JS tag keeps on the site's domain. The raw id is never stored,
 * and the same device gets unrelated ids on two pixels.
 */
final class FirstPartyIds {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int ID_BYTES = 12;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    FirstPartyIds(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** 16 base64url characters, like the cookieless ids, prefixed "f" so the two kinds never collide. */
    String idFor(String pixel, String firstPartyId) {
        Mac mac = macs.get();
        mac.update(pixel.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(firstPartyId.getBytes(StandardCharsets.UTF_8));
        return "f" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac.doFinal(), ID_BYTES));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException missingFromEveryJdk) {
            throw new IllegalStateException(missingFromEveryJdk);
        }
    }
}
