package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What an admin does: users, API keys, the audit log; and the first admin on first start. */
class AdministrationIT {

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunningSpeck.JSON.readTree(r.body());
    }

    @Test
    void firstStartPrintsAGeneratedAdminPasswordOnceAndItSignsIn(@TempDir Path data) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        String password;
        System.setOut(new PrintStream(first, true, StandardCharsets.UTF_8));
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of("access.admin-password", ""))) {
            Matcher m = Pattern.compile("user 'admin' with the password (\\S+)").matcher(first.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as(first.toString(StandardCharsets.UTF_8)).isTrue();
            password = m.group(1);
            assertThat(password.length()).isGreaterThanOrEqualTo(16);
            assertThat(speck.signIn("admin", password).get("/api/session").statusCode()).isEqualTo(200);
        } finally {
            System.setOut(original);
        }
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        System.setOut(new PrintStream(second, true, StandardCharsets.UTF_8));
        try (RunningSpeck again = RunningSpeck.start(data, Map.of("access.admin-password", ""))) {
            assertThat(second.toString(StandardCharsets.UTF_8)).doesNotContain(password).doesNotContain("password");
            assertThat(again.signIn("admin", password).get("/api/session").statusCode()).isEqualTo(200);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void usersAreCreatedChangedAndDeletedButTheLastAdminStays(@TempDir Path data) throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            HttpResponse<String> created = speck.post("/api/users",
                    "{\"name\":\"maria\",\"role\":\"viewer\",\"password\":\"maria-password\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(speck.post("/api/users", "{\"name\":\"maria\",\"role\":\"viewer\",\"password\":\"other-password\"}")
                    .statusCode()).isEqualTo(409);
            assertThat(speck.post("/api/users", "{\"name\":\"Bad Name\",\"role\":\"viewer\",\"password\":\"maria-password\"}")
                    .statusCode()).isEqualTo(400);
            assertThat(speck.post("/api/users", "{\"name\":\"tom\",\"role\":\"boss\",\"password\":\"tom-password-1\"}")
                    .statusCode()).isEqualTo(400);
            assertThat(speck.post("/api/users", "{\"name\":\"tom\",\"role\":\"editor\",\"password\":\"short\"}")
                    .statusCode()).isEqualTo(400);

            RunningSpeck.Client maria = speck.signIn("maria", "maria-password");
            assertThat(maria.post("/api/pixels", "{\"name\":\"x\"}").statusCode()).isEqualTo(403);
            assertThat(speck.request("PATCH", "/api/users/maria", "{\"role\":\"editor\"}").statusCode()).isEqualTo(200);
            assertThat(maria.post("/api/pixels", "{\"name\":\"x\"}").statusCode()).isEqualTo(201);

            // an admin's reset ends the user's sessions
            assertThat(speck.request("PATCH", "/api/users/maria", "{\"password\":\"maria-new-password\"}").statusCode())
                    .isEqualTo(200);
            assertThat(maria.get("/api/session").statusCode()).isEqualTo(401);

            assertThat(speck.request("DELETE", "/api/users/admin", null).statusCode()).isEqualTo(409);
            assertThat(speck.request("PATCH", "/api/users/admin", "{\"role\":\"editor\"}").statusCode()).isEqualTo(409);
            assertThat(speck.request("PATCH", "/api/users/maria", "{\"role\":\"admin\"}").statusCode()).isEqualTo(200);
            assertThat(speck.request("DELETE", "/api/users/maria", null).statusCode()).isEqualTo(200);
            assertThat(speck.signIn("admin", RunningSpeck.ADMIN_PASSWORD)).isNotNull();

            String users = speck.get("/api/users").body();
            assertThat(json(speck.get("/api/users")).findValuesAsText("name")).containsExactly("admin");
            assertThat(users).doesNotContain("argon2").doesNotContain("password");
        }
    }

    @Test
    void aKeySecretIsShownOnceWorksUntilRevokedAndNotesItsLastUse(@TempDir Path data) throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            String pixel = speck.createPixel("keyed", List.of()).id();
            HttpResponse<String> created = speck.post("/api/keys",
                    "{\"name\":\"dashboard\",\"scope\":\"read\",\"pixels\":[\"" + pixel + "\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String secret = json(created).get("secret").asText();
            String id = json(created).get("id").asText();
            assertThat(secret).startsWith("spk_");
            assertThat(speck.get("/api/keys").body()).doesNotContain(secret).contains(id);
            assertThat(speck.post("/api/keys", "{\"name\":\"x\",\"scope\":\"read\",\"pixels\":[\"nope\"]}").statusCode())
                    .isEqualTo(400);
            assertThat(speck.post("/api/keys", "{\"name\":\"x\",\"scope\":\"admin\"}").statusCode()).isEqualTo(400);

            RunningSpeck.Client key = speck.withKey(secret);
            assertThat(key.get("/api/pixels/" + pixel + "/stats").statusCode()).isEqualTo(200);
            assertThat(key.request("PATCH", "/api/pixels/" + pixel, "{\"name\":\"renamed\"}").statusCode()).isEqualTo(403);
            assertThat(json(speck.get("/api/keys")).get(0).get("lastUsed").isNull()).isFalse();

            assertThat(speck.request("DELETE", "/api/keys/" + id, null).statusCode()).isEqualTo(200);
            HttpResponse<String> revoked = key.get("/api/pixels/" + pixel + "/stats");
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.body()).contains("revoked");
            assertThat(speck.request("DELETE", "/api/keys/" + id, null).statusCode()).isEqualTo(404);
            // the store keeps a hash only
            assertThat(speck.count("SELECT count(*) FROM api_keys WHERE secret_hash = '" + secret + "'")).isZero();
        }
    }

    @Test
    void theAuditLogRecordsSignInsAndAdminActionsNewestFirstWithoutSecrets(@TempDir Path data) throws Exception {
        try (RunningSpeck speck = RunningSpeck.start(data, Map.of())) {
            speck.post("/api/users", "{\"name\":\"ann\",\"role\":\"viewer\",\"password\":\"ann-password-1\"}");
            speck.anonymous().post("/api/session", "{\"user\":\"ann\",\"password\":\"wrong-password\"}",
                    "Content-Type", "application/json");
            String keyId = json(speck.post("/api/keys", "{\"name\":\"k\",\"scope\":\"write\"}")).get("id").asText();
            speck.request("DELETE", "/api/keys/" + keyId, null);
            String pixel = speck.createPixel("gone", List.of()).id();
            assertThat(speck.request("DELETE", "/api/pixels/" + pixel, null).statusCode()).isEqualTo(200);

            JsonNode entries = json(speck.get("/api/audit?limit=100")).get("entries");
            assertThat(entries.findValuesAsText("action")).containsExactly("pixel.delete", "key.revoke", "key.create",
                    "session.sign_in_failed", "user.create", "session.sign_in");
            JsonNode delete = entries.get(0);
            assertThat(delete.get("actor").asText()).isEqualTo("admin");
            assertThat(delete.get("actorKind").asText()).isEqualTo("user");
            assertThat(delete.get("target").asText()).isEqualTo(pixel);
            assertThat(delete.get("client").asText()).isEqualTo("127.0.0.0");
            assertThat(entries.get(3).get("actorKind").asText()).isEqualTo("anonymous");
            assertThat(entries.get(3).get("target").asText()).isEqualTo("ann");

            JsonNode page = json(speck.get("/api/audit?limit=2"));
            assertThat(page.get("entries")).hasSize(2);
            JsonNode next = json(speck.get(page.get("next").asText())).get("entries");
            assertThat(next.get(0).get("action").asText()).isEqualTo("key.create");

            assertThat(speck.count("SELECT count(*) FROM audit_log WHERE details LIKE '%password%' "
                    + "OR details LIKE '%spk_%'")).isZero();
            assertThat(speck.count("SELECT count(*) FROM users WHERE password_hash LIKE '%ann-password-1%'")).isZero();
            assertThat(speck.count("SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$v=19$%'"))
                    .isEqualTo(2);
            assertThat(speck.get("/api/audit?limit=0").statusCode()).isEqualTo(400);
        }
    }
}
