package dev.speck.tls;

import dev.speck.config.ConfigError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the certificate chain and private key Speck serves HTTPS with, and refuses a pair that
 * cannot work, with a message naming the setting and the file: better at start than at the first
 * visitor's handshake.
 */
final class PemFiles {

    static final String CERTIFICATE_KEY = "http.tls-certificate";
    static final String KEY_KEY = "http.tls-key";

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem";

    /** A certificate chain (leaf first) and the private key of its leaf. */
    record Pair(List<X509Certificate> chain, PrivateKey key) {

        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private PemFiles() {
    }

    static Pair read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = chain(certificateFile);
        PrivateKey key = key(keyFile, chain.get(0).getPublicKey());
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new ConfigError(KEY_KEY, keyFile.toString(), "the private key of the certificate in "
                    + certificateFile + "; this key belongs to another certificate");
        }
        return new Pair(chain, key);
    }

    private static List<X509Certificate> chain(Path file) {
        byte[] bytes = readable(CERTIFICATE_KEY, file, "a PEM certificate chain");
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return chain;
        } catch (CertificateException | IOException e) {
            throw new ConfigError(CERTIFICATE_KEY, file.toString(), "a PEM file holding the certificate chain, "
                    + "leaf first (-----BEGIN CERTIFICATE-----); it holds none that can be read (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey key(Path file, PublicKey certificateKey) {
        String text = new String(readable(KEY_KEY, file, "a PEM PKCS#8 private key"), StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            String found = text.contains("BEGIN RSA PRIVATE KEY") ? "an RSA key in PKCS#1 form; " + CONVERT
                    : text.contains("BEGIN EC PRIVATE KEY") ? "an EC key in SEC 1 form; " + CONVERT
                    : text.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key; Speck needs it unencrypted, " + CONVERT
                    : "no -----BEGIN PRIVATE KEY----- block";
            throw new ConfigError(KEY_KEY, file.toString(), "a PEM PKCS#8 private key (RSA or EC); the file holds " + found);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(KEY_KEY, file.toString(), "a PEM PKCS#8 private key; its base64 is damaged");
        }
        String algorithm = certificateKey.getAlgorithm();
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigError(KEY_KEY, file.toString(), "the " + algorithm
                    + " private key of the certificate; this file holds no such key (" + e.getMessage() + ")");
        }
    }

    /** Signs a random message with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return true; // nothing to check it with here; the handshake will tell
        }
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] readable(String setting, Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigError(setting, file.toString(), what + "; there is no such file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigError(setting, file.toString(), what + " that Speck may read; reading it failed: " + e);
        }
    }
}
