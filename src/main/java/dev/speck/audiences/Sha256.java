package dev.speck.audiences;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a value's UTF-8 bytes as 64 lower-case hex digits, as every platform here asks. One per export. */
final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();
    private final MessageDigest digest;

    Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Null stays null: an absent value is an empty cell, never the hash of "". */
    String hex(String normalised) {
        return normalised == null ? null : HEX.formatHex(digest.digest(normalised.getBytes(StandardCharsets.UTF_8)));
    }
}
