package dev.speck.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** The code a user pastes into a page or an email for a pixel. */
public final class Snippets {

    private Snippets() {
    }

    /**
     * Image tags carry referrerpolicy="no-referrer-when-downgrade": a plain image tells Speck its page
     * only through the Referer header, and browsers otherwise send just the site's origin cross-origin.
     */
    public static Map<String, String> forPixel(String base, String pixel) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("javascript", "<script>\n(function(w,d,u){w.speck=w.speck||function(){(w.speck.q=w.speck.q||[]).push(arguments)};"
                + "var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)})"
                + "(window,document,'" + base + "/p/" + pixel + ".js');\n</script>\n"
                + "<noscript><img src=\"" + base + "/p/" + pixel + ".gif\" width=\"1\" height=\"1\" alt=\"\" "
                + "referrerpolicy=\"no-referrer-when-downgrade\" style=\"position:absolute\"></noscript>");
        s.put("image", "<img src=\"" + base + "/p/" + pixel + ".gif\" width=\"1\" height=\"1\" alt=\"\" "
                + "referrerpolicy=\"no-referrer-when-downgrade\" style=\"position:absolute\">");
        s.put("emailOpen", "<img src=\"" + base + "/o/" + pixel + ".gif?m=MESSAGE&rcpt={{ recipient }}\" "
                + "width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">");
        // With sig (one per recipient, purpose "open") an open may join the reader's device to the customer.
        s.put("emailOpenSigned", "<img src=\"" + base + "/o/" + pixel + ".gif?m=MESSAGE&rcpt={{ recipient }}"
                + "&sig={{ speck_sig }}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">");
        s.put("signOpen", "# sig = hex(HMAC-SHA256(identity secret, \"open:" + pixel + ":\" + recipient token)),\n"
                + "# computed by your backend (secret: GET /api/identity/secret), or asked of Speck\n"
                + "# with a write key for all pixels, once per recipient:\n"
                + "curl -X POST " + base + "/api/identity/sign \\\n"
                + "  -H \"Authorization: Bearer $SPECK_KEY\" -H \"Content-Type: application/json\" \\\n"
                + "  -d '{\"pixel\": \"" + pixel + "\", \"id\": \"RECIPIENT\", \"purpose\": \"open\"}'\n"
                + "# -> {\"signature\": \"...\"}: keep it with the recipient in your email service as speck_sig");
        s.put("goal", "speck('goal', 'purchase', {value: 49.90, currency: 'EUR'});");
        return s;
    }
}
