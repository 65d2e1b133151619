package dev.speck.enrich;

import java.util.List;
import java.util.Map;

/** Reads the campaign tags (utm_*) and ad click ids that marketers and ad networks append to landing-page URLs. */
final class Campaigns {

    /** The campaign a page URL was tagged with; every part may be null. */
    record Campaign(String source, String medium, String name, String term, String content,
                    String clickIdType, String clickId) {
        static final Campaign NONE = new Campaign(null, null, null, null, null, null, null);

        boolean isTagged() {
            return source != null || medium != null || name != null || clickIdType != null;
        }
    }

    /** Click ids in the order they are looked for; the first found is kept. */
    static final List<String> CLICK_IDS = List.of(
            "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "ttclid", "twclid", "li_fat_id", "yclid");

    private static final int MAX_LENGTH = 200;

    private Campaigns() {
    }

    /** The campaign tags of a page URL; {@link Campaign#NONE} when it has none or is malformed. */
    static Campaign of(String pageUrl) {
        Map<String, String> query = Urls.query(pageUrl);
        if (query.isEmpty()) {
            return Campaign.NONE;
        }
        String clickIdType = null;
        String clickId = null;
        for (String type : CLICK_IDS) {
            String value = clean(query.get(type));
            if (value != null) {
                clickIdType = type;
                clickId = value;
                break;
            }
        }
        return new Campaign(
                clean(query.get("utm_source")),
                clean(query.get("utm_medium")),
                clean(query.get("utm_campaign")),
                clean(query.get("utm_term")),
                clean(query.get("utm_content")),
                clickIdType,
                clickId);
    }

    /** Trimmed and cut to 200 characters; null when blank. The query is already decoded. */
    private static String clean(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.length() > MAX_LENGTH ? trimmed.substring(0, MAX_LENGTH) : trimmed;
    }
}
