package dev.speck.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.logging.Logger;

/** Pixels on plain HTTP beyond this machine leak the pages they are on, and browsers block them on HTTPS sites. */
public final class PlainHttpWarning {

    private static final Logger LOG = Logger.getLogger(PlainHttpWarning.class.getName());

    private PlainHttpWarning() {
    }

    /**
     * Warns at start when Speck listens beyond loopback with plain HTTP and no trusted proxy in front.
     *
     * @param servesTls   whether Speck serves TLS itself
     * @param behindProxy whether collect.trusted-proxies names a proxy (which may make it HTTPS)
     */
    public static void warnIfPublic(boolean servesTls, boolean behindProxy, String host, int port) {
        if (servesTls || behindProxy || loopback(host)) {
            return;
        }
        LOG.warning("listening on " + host + ":" + port
                + " with plain HTTP and no trusted proxy: pixels and the console travel unencrypted. Set "
                + "http.tls-certificate and http.tls-key, or put Speck behind an HTTPS proxy listed in "
                + "collect.trusted-proxies (see docs/OPERATIONS.md)");
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
