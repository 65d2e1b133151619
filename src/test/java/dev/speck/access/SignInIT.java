package dev.speck.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.testing.RunningSpeck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions as a browser meets them: sign-in, the cookie, CSRF, fixation, sign-out, password changes. */
class SignInIT {

    private static RunningSpeck speck;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        speck = RunningSpeck.start(data, Map.of());
    }

    @AfterAll
    static void stop() {
        if (speck != null) {
            speck.close();
        }
    }

    private static HttpResponse<String> signIn(String user, String password, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return speck.anonymous().post("/api/session",
                RunningSpeck.JSON.writeValueAsString(Map.of("user", user, "password", password)), all);
    }

    private static String editor() {
        String name = "ed-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        speck.app().access().users().create(name, Role.EDITOR, "editor-password-1");
        return name;
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieAndAnswersTheRoleAndCsrfTokenButNoPassword() throws Exception {
        HttpResponse<String> r = signIn("admin", RunningSpeck.ADMIN_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("speck_session=").contains("SameSite=Strict", "Path=/").doesNotContain("Secure");
        assertThat(cookie).containsIgnoringCase("; HttpOnly"); // attribute names are case-insensitive
        JsonNode body = RunningSpeck.JSON.readTree(r.body());
        assertThat(body.get("role").asText()).isEqualTo("admin");
        assertThat(body.get("csrfToken").asText()).hasSize(43);
        assertThat(r.body()).doesNotContain(RunningSpeck.ADMIN_PASSWORD).doesNotContain("argon2");
    }

    @Test
    void theCookieIsSecureWhenATrustedProxySaysTheRequestCameOverHttps(@TempDir Path data) throws Exception {
        try (RunningSpeck proxied = RunningSpeck.start(data, Map.of("collect.trusted-proxies", "127.0.0.1/32"))) {
            HttpResponse<String> r = proxied.anonymous().post("/api/session",
                    "{\"user\":\"admin\",\"password\":\"" + RunningSpeck.ADMIN_PASSWORD + "\"}",
                    "Content-Type", "application/json", "X-Forwarded-Proto", "https");
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        }
        // from an untrusted peer the header is the client's word only: no Secure flag
        HttpResponse<String> plain = signIn("admin", RunningSpeck.ADMIN_PASSWORD, "X-Forwarded-Proto", "https");
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        HttpResponse<String> wrong = signIn(editor(), "not-the-password");
        HttpResponse<String> unknown = signIn("nobody-at-all", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void signInRefusesFormPostsAndOtherOrigins() throws Exception {
        String body = "{\"user\":\"admin\",\"password\":\"" + RunningSpeck.ADMIN_PASSWORD + "\"}";
        assertThat(speck.anonymous().post("/api/session", body, "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        assertThat(speck.anonymous().post("/api/session", body, "Content-Type", "application/x-www-form-urlencoded")
                .statusCode()).isEqualTo(415);
        assertThat(signIn("admin", RunningSpeck.ADMIN_PASSWORD, "Origin", "https://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(signIn("admin", RunningSpeck.ADMIN_PASSWORD, "Sec-Fetch-Site", "cross-site").statusCode())
                .isEqualTo(403);
        assertThat(signIn("admin", RunningSpeck.ADMIN_PASSWORD, "Origin", speck.base(), "Sec-Fetch-Site", "same-origin")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void unsafeRequestsOfASessionNeedItsOwnCsrfTokenAndTheSameOrigin() throws Exception {
        HttpResponse<String> mine = signIn(editor(), "editor-password-1");
        String cookie = RunningSpeck.sessionCookie(mine);
        String token = RunningSpeck.JSON.readTree(mine.body()).get("csrfToken").asText();
        String othersToken = RunningSpeck.JSON.readTree(signIn("admin", RunningSpeck.ADMIN_PASSWORD).body())
                .get("csrfToken").asText();
        String pixel = "{\"name\":\"csrf\"}";
        RunningSpeck.Client none = speck.anonymous();

        assertThat(none.post("/api/pixels", pixel, "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(none.post("/api/pixels", pixel, "Cookie", cookie, "X-CSRF-Token", "x".repeat(43)).statusCode())
                .isEqualTo(403);
        assertThat(none.post("/api/pixels", pixel, "Cookie", cookie, "X-CSRF-Token", othersToken).statusCode())
                .isEqualTo(403);
        assertThat(none.post("/api/pixels", pixel, "Cookie", cookie, "X-CSRF-Token", token,
                "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(none.post("/api/pixels", pixel, "Cookie", cookie, "X-CSRF-Token", token,
                "Sec-Fetch-Site", "same-site").statusCode()).isEqualTo(403);
        assertThat(speck.app().pixels().pixels()).noneMatch(p -> p.name().equals("csrf"));

        HttpResponse<String> ok = none.post("/api/pixels", pixel, "Cookie", cookie, "X-CSRF-Token", token,
                "Origin", speck.base(), "Sec-Fetch-Site", "same-origin");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        // reading needs no token: a cross-site page cannot read the answer anyway
        assertThat(none.get("/api/pixels", "Cookie", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void aBearerKeyNeedsNoCsrfToken() throws Exception {
        String key = speck.createKey(KeyScope.WRITE);
        HttpResponse<String> r = speck.withKey(key).post("/api/pixels", "{\"name\":\"by key\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void signingInAlwaysMakesANewSessionAndEndsTheOneTheBrowserBrought() throws Exception {
        String name = editor();
        String before = RunningSpeck.sessionCookie(signIn(name, "editor-password-1"));
        // an attacker's session planted in the victim's browser, or a made-up id: neither survives sign-in
        HttpResponse<String> after = signIn(name, "editor-password-1", "Cookie", before);
        String afterCookie = RunningSpeck.sessionCookie(after);
        assertThat(afterCookie).isNotEqualTo(before);
        assertThat(speck.anonymous().get("/api/session", "Cookie", before).statusCode()).isEqualTo(401);
        assertThat(speck.anonymous().get("/api/session", "Cookie", afterCookie).statusCode()).isEqualTo(200);

        String madeUp = "speck_session=" + "A".repeat(43);
        assertThat(RunningSpeck.sessionCookie(signIn(name, "editor-password-1", "Cookie", madeUp))).isNotEqualTo(madeUp);
    }

    @Test
    void signOutEndsTheSessionOnTheServer() throws Exception {
        HttpResponse<String> in = signIn(editor(), "editor-password-1");
        String cookie = RunningSpeck.sessionCookie(in);
        String token = RunningSpeck.JSON.readTree(in.body()).get("csrfToken").asText();
        HttpResponse<String> out = speck.anonymous().request("DELETE", "/api/session", null,
                "Cookie", cookie, "X-CSRF-Token", token);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        // the old cookie, replayed, is worth nothing now
        assertThat(speck.anonymous().get("/api/session", "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(speck.anonymous().get("/api/pixels", "Cookie", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void changingTheOwnPasswordEndsOtherSessionsAndNeedsTheCurrentOne() throws Exception {
        String name = editor();
        String other = RunningSpeck.sessionCookie(signIn(name, "editor-password-1"));
        RunningSpeck.Client me = speck.signIn(name, "editor-password-1");
        assertThat(me.request("PUT", "/api/session/password",
                "{\"currentPassword\":\"wrong-password\",\"newPassword\":\"editor-password-2\"}").statusCode())
                .isEqualTo(403);
        HttpResponse<String> changed = me.request("PUT", "/api/session/password",
                "{\"currentPassword\":\"editor-password-1\",\"newPassword\":\"editor-password-2\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(speck.anonymous().get("/api/session", "Cookie", other).statusCode()).isEqualTo(401);
        assertThat(speck.anonymous().get("/api/session", "Cookie", RunningSpeck.sessionCookie(changed)).statusCode())
                .isEqualTo(200);
        assertThat(signIn(name, "editor-password-1").statusCode()).isEqualTo(401);
        assertThat(signIn(name, "editor-password-2").statusCode()).isEqualTo(200);
        assertThat(me.request("PUT", "/api/session/password",
                "{\"currentPassword\":\"editor-password-2\",\"newPassword\":\"short\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void failedSignInsLockTheAccountEvenForTheRightPasswordAndAreCounted(@TempDir Path data) throws Exception {
        try (RunningSpeck locked = RunningSpeck.start(data, Map.of())) {
            locked.app().access().users().create("target", Role.EDITOR, "target-password");
            String wrong = "{\"user\":\"target\",\"password\":\"guess-guess\"}";
            for (int i = 0; i < 5; i++) {
                assertThat(locked.anonymous().post("/api/session", wrong, "Content-Type", "application/json")
                        .statusCode()).isEqualTo(401);
            }
            HttpResponse<String> right = locked.anonymous().post("/api/session",
                    "{\"user\":\"target\",\"password\":\"target-password\"}", "Content-Type", "application/json");
            assertThat(right.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 15L * 60);
            assertThat(right.headers().firstValue("Set-Cookie")).isEmpty();
            // another account from the same address is not locked by these five
            assertThat(locked.anonymous().post("/api/session",
                    "{\"user\":\"admin\",\"password\":\"" + RunningSpeck.ADMIN_PASSWORD + "\"}",
                    "Content-Type", "application/json").statusCode()).isEqualTo(200);
            assertThat(locked.metric("speck_sign_ins_total{outcome=\"failure\"}")).isEqualTo(5);
            assertThat(locked.metric("speck_sign_ins_total{outcome=\"throttled\"}")).isEqualTo(1);
            JsonNode audit = RunningSpeck.JSON.readTree(locked.get("/api/audit").body()).get("entries");
            assertThat(audit.findValuesAsText("action")).contains("session.sign_in_failed", "session.sign_in_throttled");
        }
    }
}
