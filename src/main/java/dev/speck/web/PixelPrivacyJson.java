package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.privacy.VisitorPrivacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A pixel's visitor privacy in the API: {"identity", "consent", "honourDoNotTrack", "retentionDays"}. */
final class PixelPrivacyJson {

    private static final Set<String> FIELDS = Set.of("identity", "consent", "honourDoNotTrack", "retentionDays");

    private PixelPrivacyJson() {
    }

    static Map<String, Object> describe(VisitorPrivacy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("identity", p.identity().wireName());
        out.put("consent", p.consent().wireName());
        out.put("honourDoNotTrack", p.honourDoNotTrack());
        out.put("retentionDays", p.retentionDays());
        return out;
    }

    /** The given fields over {@code current}; absent fields keep their value. */
    static VisitorPrivacy read(JsonNode node, VisitorPrivacy current) {
        if (node == null || node.isNull()) {
            return current;
        }
        if (!node.isObject()) {
            throw new BadRequest("privacy must be an object with identity, consent, honourDoNotTrack, retentionDays");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new BadRequest("unknown privacy setting '" + ApiJson.truncate(f)
                        + "': they are consent, honourDoNotTrack, identity, retentionDays");
            }
        });
        try {
            VisitorPrivacy.IdentityMode identity = node.has("identity")
                    ? VisitorPrivacy.IdentityMode.fromWireName(text(node, "identity")) : current.identity();
            VisitorPrivacy.ConsentRule consent = node.has("consent")
                    ? VisitorPrivacy.ConsentRule.fromWireName(text(node, "consent")) : current.consent();
            boolean dnt = current.honourDoNotTrack();
            if (node.has("honourDoNotTrack")) {
                if (!node.get("honourDoNotTrack").isBoolean()) {
                    throw new BadRequest("privacy.honourDoNotTrack must be true or false");
                }
                dnt = node.get("honourDoNotTrack").asBoolean();
            }
            int days = current.retentionDays();
            if (node.has("retentionDays")) {
                if (!node.get("retentionDays").isInt()) {
                    throw new BadRequest("privacy.retentionDays must be a whole number of days (0: keep forever)");
                }
                days = node.get("retentionDays").asInt();
            }
            return new VisitorPrivacy(identity, consent, dnt, days);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("privacy." + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    /** The public opt-out page and a link to paste into a privacy notice. */
    static Map<String, Object> optOut(String base) {
        String url = base + OptOutPage.PATH;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url);
        out.put("link", "<a href=\"" + url + "\">Opt out of analytics</a>");
        out.put("tag", "<button onclick=\"speck('optout')\">Opt out of analytics on this site</button>");
        return out;
    }
}
