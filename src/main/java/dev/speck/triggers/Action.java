package dev.speck.triggers;

import java.util.Map;

/**
 * What a trigger does: POST a JSON payload to a URL, signed (see docs/TRIGGERS.md and docs/DELIVERY.md).
 *
 * @param type     webhook (Speck's own payload) or newsletter (shaped for an email platform's API)
 * @param platform for a newsletter: listmonk, mautic or generic; null for a webhook
 * @param template for a newsletter: the platform's template or email id
 * @param headers  extra request headers (e.g. the platform's Authorization)
 */
public record Action(Type type, String url, String platform, String template, Map<String, String> headers) {

    public Action {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public enum Type implements WireName {
        WEBHOOK("webhook"), NEWSLETTER("newsletter");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        static Type fromWireName(String s) {
            return WireName.find(values(), s);
        }
    }
}
