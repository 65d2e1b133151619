package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.access.Call;
import dev.speck.customers.CustomerDraft;
import dev.speck.customers.IdentitySigner;
import dev.speck.customers.LandingTokens;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.pixels.PixelRegistry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** /api/identity: the secret that signs identity claims, and signatures made with it for one customer. */
final class IdentityRoutes {

    private final IdentitySigner signer;
    private final PixelRegistry pixels;
    private final int landingTokenDays;

    IdentityRoutes(IdentitySigner signer, PixelRegistry pixels, int landingTokenDays) {
        this.signer = signer;
        this.pixels = pixels;
        this.landingTokenDays = landingTokenDays;
    }

    /** GET /api/identity/secret: whoever holds it can claim to be any customer. */
    Answer secret(Call call) {
        return Answer.ok(Map.of("secret", signer.secret(),
                "algorithm", "hex(HMAC-SHA256(secret, purpose + \":\" + pixel + \":\" + id))"));
    }

    /** POST /api/identity/sign */
    Answer sign(Call call) {
        return Answer.ok(sign(ApiJson.body(call.exchange())));
    }

    private Map<String, Object> sign(JsonNode body) {
        String pixel = text(body, "pixel", 64, true);
        if (pixels.pixel(pixel) == null) {
            throw new BadRequest("unknown pixel '" + ApiJson.truncate(pixel) + "'");
        }
        String id = text(body, "id", CustomerDraft.MAX_ALIAS, true);
        IdentitySigner.Purpose purpose;
        try {
            purpose = IdentitySigner.Purpose.of(body.hasNonNull("purpose") ? body.get("purpose").asText() : "identify");
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pixel", pixel);
        out.put("id", id);
        out.put("purpose", purpose.wire());
        if (purpose == IdentitySigner.Purpose.LANDING) {
            int days = body.hasNonNull("days") ? Params.integer(body.get("days").asText(), landingTokenDays, 1, 365, "days")
                    : landingTokenDays;
            long expires = Instant.now().getEpochSecond() + days * 86_400L;
            String signature = signer.signLanding(pixel, expires, id);
            out.put("expiresAt", Instant.ofEpochSecond(expires).toString());
            out.put("signature", signature);
            out.put("parameter", LandingTokens.PARAMETER + "=" + Params.enc(LandingTokens.token(id, expires, signature)));
        } else {
            out.put("signature", signer.sign(purpose, pixel, id));
        }
        return out;
    }

    private static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isBlank()) {
            if (required) {
                throw new BadRequest(field + " is required (a string)");
            }
            return null;
        }
        if (v.asText().length() > max) {
            throw new BadRequest(field + " is longer than " + max + " characters");
        }
        return v.asText();
    }
}
