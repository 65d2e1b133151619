package dev.speck.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for 127.0.0.1 and localhost, made at test time with the running JDK's
 * keytool (always there, nothing to install) and written as the PEM files Speck reads.
 */
public final class TestCertificates {

    /** A certificate file (PEM) and its PKCS#8 key file (PEM). */
    public record Pem(Path certificate, Path key, X509Certificate x509) {
    }

    private TestCertificates() {
    }

    /** @param algorithm RSA or EC */
    public static Pem create(Path dir, String name, String algorithm) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "speck", "-keyalg", algorithm, "-keysize", algorithm.equals("EC") ? "256" : "2048",
                "-validity", "30", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(120, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("speck", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate("speck");
        Pem pem = new Pem(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), cert);
        Files.writeString(pem.certificate(), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(pem.key(), pem("PRIVATE KEY", key.getEncoded()));
        return pem;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A TLS context that trusts exactly the certificates in these PEM files. */
    public static SSLContext trusting(Path... certificates) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Path file : certificates) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("c" + i++, c);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
