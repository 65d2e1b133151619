package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.audit.AuditTrail;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.privacy.AccountSettings;
import dev.speck.privacy.AccountSettingsRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/settings} and {@code PUT /api/settings}: the account-wide switches (admin only
 * once access control guards it). A PUT may name some fields; the others keep their values.
 */
final class SettingsRoutes {

    private static final Set<String> FIELDS = Set.of("pixelsEnabled", "keepRawIp", "rawIpRetentionDays");

    private final AccountSettingsRegistry settings;
    private final AuditTrail audit;

    SettingsRoutes(AccountSettingsRegistry settings, AuditTrail audit) {
        this.settings = settings;
        this.audit = audit;
    }

    Answer get(Call call) {
        return Answer.ok(describe(settings.get()));
    }

    Answer put(Call call) {
        JsonNode json = ApiJson.body(call.exchange());
        AccountSettings now = settings.get();
        List<String> changed = new ArrayList<>();
        json.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new BadRequest("unknown setting '" + ApiJson.truncate(f) + "': settings are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        boolean pixelsEnabled = bool(json, "pixelsEnabled", now.pixelsEnabled());
        boolean keepRawIp = bool(json, "keepRawIp", now.keepRawIp());
        int days = now.rawIpRetentionDays();
        if (json.has("rawIpRetentionDays")) {
            JsonNode d = json.get("rawIpRetentionDays");
            if (!d.isInt() || d.asInt() < 1 || d.asInt() > AccountSettings.MAX_RAW_IP_RETENTION_DAYS) {
                throw new BadRequest("rawIpRetentionDays must be a whole number from 1 to "
                        + AccountSettings.MAX_RAW_IP_RETENTION_DAYS);
            }
            days = d.asInt();
        }
        AccountSettings next = new AccountSettings(pixelsEnabled, keepRawIp, days);
        if (next.pixelsEnabled() != now.pixelsEnabled()) {
            changed.add("pixelsEnabled");
        }
        if (next.keepRawIp() != now.keepRawIp()) {
            changed.add("keepRawIp");
        }
        if (next.rawIpRetentionDays() != now.rawIpRetentionDays()) {
            changed.add("rawIpRetentionDays");
        }
        settings.update(next);
        if (!changed.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("changed", changed);
            details.put("settings", describe(next));
            audit.record(call.requester(), "settings.update", "account", details);
        }
        return Answer.ok(describe(next));
    }

    private static boolean bool(JsonNode json, String field, boolean current) {
        if (!json.has(field)) {
            return current;
        }
        if (!json.get(field).isBoolean()) {
            throw new BadRequest(field + " must be true or false");
        }
        return json.get(field).asBoolean();
    }

    static Map<String, Object> describe(AccountSettings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pixelsEnabled", s.pixelsEnabled());
        out.put("keepRawIp", s.keepRawIp());
        out.put("rawIpRetentionDays", s.rawIpRetentionDays());
        return out;
    }
}
