package dev.speck.web;

import dev.speck.access.AccessControl;
import dev.speck.access.AccessPolicy;
import dev.speck.access.AdminRoutes;
import dev.speck.access.Call;
import dev.speck.access.Route;
import dev.speck.access.SessionRoutes;
import dev.speck.audit.AuditTrail;
import dev.speck.enrich.GeoAttribution;
import dev.speck.goals.PixelSetup;
import dev.speck.http.Answer;
import dev.speck.http.ApiJson;
import dev.speck.http.BadRequest;
import dev.speck.metrics.SpeckMetrics;
import dev.speck.pixels.PixelRegistry;
import dev.speck.pixels.TrackedLinks;
import dev.speck.privacy.AccountSettingsRegistry;
import dev.speck.report.Reports;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.speck.access.AccessPolicy.Need.ADMIN;
import static dev.speck.access.AccessPolicy.Need.ANY_CALLER;
import static dev.speck.access.AccessPolicy.Need.EDIT_ACCOUNT;
import static dev.speck.access.AccessPolicy.Need.EDIT_PIXEL;
import static dev.speck.access.AccessPolicy.Need.PUBLIC;
import static dev.speck.access.AccessPolicy.Need.SIGNED_IN;
import static dev.speck.access.AccessPolicy.Need.VIEW_ACCOUNT;
import static dev.speck.access.AccessPolicy.Need.VIEW_PIXEL;

/**
 * Every route that is not a pixel hit, declared once: method, path, the access it needs and its
 * handler. The access guard reads this table (see {@link AccessPolicy}); so do the tests that check
 * openapi.json and every caller's access against it. The API is described in docs/API.md.
 */
public final class Routes {

    private final List<Route> all;
    private final AccessPolicy resources;
    private final PixelRoutes pixelRoutes;
    private final SpeckMetrics metrics;
    private final Supplier<Map<String, Object>> health;

    /**
     * @param signer         signs a tracked link for one recipient (the collector checks it)
     * @param geoAttribution the credit the geo database in use asks for, or null; read per response
     * @param account        the account settings behind /api/settings; changes are recorded in {@code audit}
     * @param trafficRules   the admin's traffic rules behind /api/traffic/rules
     * @param triggers       a pixel's triggers behind /api/pixels/{pixel}/triggers
     * @param deliveries     the webhook delivery log behind /api/deliveries
     * @param segments       a pixel's segments behind /api/pixels/{pixel}/segments
     */
    public Routes(AccessControl access, PixelRegistry pixels, Reports reports, TrackedLinks.RecipientSigner signer,
                  SpeckMetrics metrics, Supplier<Map<String, Object>> health, ConsoleApi console,
                  Supplier<GeoAttribution> geoAttribution, CustomerRoutes customers,
                  AccountSettingsRegistry account, AuditTrail audit, TrafficRuleRoutes trafficRules,
                  TriggerRoutes triggers,
                  DeliveryRoutes deliveries,
                  SegmentRoutes segments) {
        this.metrics = metrics;
        this.health = health;
        SessionRoutes session = access.sessionRoutes();
        AdminRoutes admin = access.adminRoutes(pixels);
        ConsoleRoutes consoleFiles = new ConsoleRoutes();
        OptOutPage optOut = new OptOutPage();
        SettingsRoutes settings = new SettingsRoutes(account, audit);
        pixelRoutes = new PixelRoutes(pixels, console.goals(),
                new PixelSetup(pixels, console.goals(), console.activity()::forget), audit);
        PixelDataRoutes data = new PixelDataRoutes(reports, geoAttribution);
        GoalRoutes goals = new GoalRoutes(console.goals());
        ReportRoutes report = new ReportRoutes(console.goalReports(), console.goals(), geoAttribution, segments::exists);
        PixelHealthRoutes pixelHealth = new PixelHealthRoutes(console.activity(), reports, console.recorder());
        LiveFeed live = console.live();
        LinkRoutes links = new LinkRoutes(pixels, new TrackedLinks(pixels, signer));
        IdentityRoutes identity = customers.identity();
        TriggerTests triggerTests = deliveries.triggerTests(triggers);
        all = List.of(
                // public: the console's files and sign-in, health, opt-out pages, the API's description
                route("GET", "/", PUBLIC, call -> new Answer.Redirect(ConsoleRoutes.PREFIX + "/")),
                route("GET", "/healthz", PUBLIC, this::health),
                route("GET", "/console", PUBLIC, call -> consoleFiles.answer(call.exchange())),
                route("GET", "/console/**", PUBLIC, call -> consoleFiles.answer(call.exchange())),
                route("GET", OptOutPage.PATH, PUBLIC, optOut::get),
                route("POST", OptOutPage.PATH, PUBLIC, optOut::post),
                route("GET", "/api/openapi.json", PUBLIC,
                        call -> new Answer.Bytes(HttpResponseStatus.OK, Answer.JSON, OpenApi.document(), null)),
                // how the caller's own connection looks (scheme, TLS, proxy): the sign-in page warns with it
                // before a password crosses plain HTTP
                route("GET", "/api/server", PUBLIC,
                        call -> Answer.ok(ServerInfo.describe(call.exchange(), ServerInfo.baseUrl(call.exchange())))),
                route("GET", "/metrics", ANY_CALLER, this::metrics),
                // sessions: signing in checks the password itself
                route("POST", "/api/session", PUBLIC, session::signIn),
                route("GET", "/api/session", SIGNED_IN, session::whoAmI),
                route("DELETE", "/api/session", SIGNED_IN, session::signOut),
                route("PUT", "/api/session/password", SIGNED_IN, session::changeOwnPassword),
                // administration
                route("GET", "/api/users", ADMIN, admin::listUsers),
                route("POST", "/api/users", ADMIN, admin::createUser),
                route("PATCH", "/api/users/{name}", ADMIN, admin::updateUser),
                route("DELETE", "/api/users/{name}", ADMIN, admin::deleteUser),
                route("GET", "/api/keys", ADMIN, admin::listKeys),
                route("POST", "/api/keys", ADMIN, admin::createKey),
                route("DELETE", "/api/keys/{id}", ADMIN, admin::revokeKey),
                route("GET", "/api/audit", ADMIN, admin::auditPage),
                route("GET", "/api/traffic/rules", ADMIN, trafficRules::list),
                route("POST", "/api/traffic/rules", ADMIN, trafficRules::create),
                route("DELETE", "/api/traffic/rules/{id}", ADMIN, trafficRules::delete),
                route("GET", "/api/settings", SIGNED_IN, settings::get),
                route("PUT", "/api/settings", ADMIN, settings::put),
                // pixels and everything under one
                route("GET", "/api/pixels", ANY_CALLER, pixelRoutes::list),
                route("POST", "/api/pixels", EDIT_ACCOUNT, pixelRoutes::create),
                route("GET", "/api/pixels/{pixel}", VIEW_PIXEL, pixel(pixelRoutes::get)),
                route("PATCH", "/api/pixels/{pixel}", EDIT_PIXEL, pixel(pixelRoutes::update)),
                route("DELETE", "/api/pixels/{pixel}", EDIT_PIXEL, pixel(pixelRoutes::delete)),
                route("GET", "/api/pixels/{pixel}/stats", VIEW_PIXEL, pixel(data::stats)),
                route("GET", "/api/pixels/{pixel}/events", VIEW_PIXEL, pixel(data::events)),
                route("GET", "/api/pixels/{pixel}/hours", VIEW_PIXEL, pixel(data::hours)),
                route("GET", "/api/pixels/{pixel}/goals", VIEW_PIXEL, pixel(goals::list)),
                route("POST", "/api/pixels/{pixel}/goals", EDIT_PIXEL, pixel(goals::create)),
                route("GET", "/api/pixels/{pixel}/goals/{goal}", VIEW_PIXEL, pixel(goals::get)),
                route("PUT", "/api/pixels/{pixel}/goals/{goal}", EDIT_PIXEL, pixel(goals::update)),
                route("DELETE", "/api/pixels/{pixel}/goals/{goal}", EDIT_PIXEL, pixel(goals::delete)),
                route("GET", "/api/pixels/{pixel}/report", VIEW_PIXEL, pixel(report::report)),
                route("GET", "/api/pixels/{pixel}/report/breakdown", VIEW_PIXEL, pixel(report::breakdown)),
                route("GET", "/api/pixels/{pixel}/report/attribution", VIEW_PIXEL, pixel(report::attribution)),
                route("GET", "/api/pixels/{pixel}/live", VIEW_PIXEL, pixel(live::live)),
                route("GET", "/api/pixels/{pixel}/health", VIEW_PIXEL, pixel(pixelHealth::health)),
                route("POST", "/api/pixels/{pixel}/test", EDIT_PIXEL, pixel(pixelHealth::test)),
                // triggers send what a pixel saw (for customers: who they are) to other systems: the
                // account's editors set them up, a pixel's viewers may read them
                route("GET", "/api/pixels/{pixel}/triggers", VIEW_PIXEL, pixel(triggers::list)),
                route("POST", "/api/pixels/{pixel}/triggers", EDIT_ACCOUNT, pixel(triggers::create)),
                route("POST", "/api/pixels/{pixel}/triggers/dry-run", EDIT_ACCOUNT, pixel(triggers::dryRun)),
                route("GET", "/api/pixels/{pixel}/triggers/{trigger}", VIEW_PIXEL, pixel(triggers::get)),
                route("PUT", "/api/pixels/{pixel}/triggers/{trigger}", EDIT_ACCOUNT, pixel(triggers::update)),
                route("DELETE", "/api/pixels/{pixel}/triggers/{trigger}", EDIT_ACCOUNT, pixel(triggers::delete)),
                route("POST", "/api/pixels/{pixel}/triggers/{trigger}/test", EDIT_ACCOUNT, pixel(triggerTests::send)),
                // segments: who a pixel's people are by what they did; members name customers, so
                // reading them takes what reading customers takes
                route("GET", "/api/pixels/{pixel}/segments", VIEW_PIXEL, pixel(segments::list)),
                route("POST", "/api/pixels/{pixel}/segments", EDIT_ACCOUNT, pixel(segments::create)),
                route("GET", "/api/pixels/{pixel}/segments/{segment}", VIEW_PIXEL, pixel(segments::get)),
                route("PUT", "/api/pixels/{pixel}/segments/{segment}", EDIT_ACCOUNT, pixel(segments::update)),
                route("DELETE", "/api/pixels/{pixel}/segments/{segment}", EDIT_ACCOUNT, pixel(segments::delete)),
                route("GET", "/api/pixels/{pixel}/segments/{segment}/members", VIEW_ACCOUNT, pixel(segments::members)),
                route("POST", "/api/pixels/{pixel}/segments/{segment}/members", EDIT_ACCOUNT, pixel(segments::changeList)),
                route("GET", "/api/pixels/{pixel}/segments/{segment}/export", VIEW_ACCOUNT, pixel(segments::export)),
                // the rest of a pixel's paths: readers get 404 or 405 rather than 403 there, and a route
                // added under a pixel later already has the access its method implies
                route("GET", "/api/pixels/{pixel}/**", VIEW_PIXEL, this::noSuchPixelResource),
                route("POST", "/api/pixels/{pixel}/**", EDIT_PIXEL, this::noSuchPixelResource),
                route("PUT", "/api/pixels/{pixel}/**", EDIT_PIXEL, this::noSuchPixelResource),
                route("PATCH", "/api/pixels/{pixel}/**", EDIT_PIXEL, this::noSuchPixelResource),
                route("DELETE", "/api/pixels/{pixel}/**", EDIT_PIXEL, this::noSuchPixelResource),
                // tracked links belong to a pixel
                new Route("GET", "/api/links", VIEW_PIXEL, AccessPolicy.PixelFrom.QUERY_OR_ALL, links::list),
                new Route("POST", "/api/links", EDIT_PIXEL, AccessPolicy.PixelFrom.BODY, links::create),
                route("POST", "/api/links/{link}/sign", EDIT_PIXEL, links::sign),
                // customers and data rights
                route("GET", "/api/customers", VIEW_ACCOUNT, customers::search),
                route("POST", "/api/customers", EDIT_ACCOUNT, customers::upsert),
                route("POST", "/api/customers/import", EDIT_ACCOUNT, customers::importCsv),
                route("GET", "/api/customers/{id}/export", ADMIN, customers::export),
                route("GET", "/api/customers/{id}/events", VIEW_ACCOUNT, customers::events),
                route("GET", "/api/customers/{id}", VIEW_ACCOUNT, customers::profile),
                route("DELETE", "/api/customers/{id}", ADMIN, customers::erase),
                route("GET", "/api/visitors/{visitor}/export", ADMIN, customers::exportVisitor),
                route("DELETE", "/api/visitors/{visitor}", ADMIN, customers::eraseVisitor),
                route("POST", "/api/identity/sign", EDIT_ACCOUNT, identity::sign),
                // webhook deliveries: the log per source, dead letters, re-delivery, a target's signing secret
                route("GET", "/api/deliveries", VIEW_ACCOUNT, deliveries::list),
                route("GET", "/api/deliveries/{key}", VIEW_ACCOUNT, deliveries::get),
                route("POST", "/api/deliveries/{key}/redeliver", EDIT_ACCOUNT, deliveries::redeliver),
                route("GET", "/api/dead-letters", VIEW_ACCOUNT, deliveries::deadLetters),
                route("GET", "/api/delivery-secret", ADMIN, deliveries::secret),
                // the secret that signs identities: whoever holds it can claim to be any customer
                route("GET", "/api/identity/secret", ADMIN, identity::secret));
        resources = new AccessPolicy(all);
    }

    /** The table, in the order requests are matched against it (first match wins). */
    public List<Route> all() {
        return all;
    }

    private static Route route(String method, String pattern, AccessPolicy.Need need, Route.Handler handler) {
        return new Route(method, pattern, need, handler);
    }

    /** A route under /api/pixels/{pixel}: answered 404 before the handler runs when the pixel does not exist. */
    private Route.Handler pixel(PixelHandler handler) {
        return call -> handler.answer(call, pixelRoutes.pixel(call));
    }

    private Answer health(Call call) {
        Map<String, Object> h = health.get();
        return Answer.json("ok".equals(h.get("status")) ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                h);
    }

    private Answer metrics(Call call) {
        return new Answer.Bytes(HttpResponseStatus.OK, SpeckMetrics.CONTENT_TYPE, metrics.scrape(), null);
    }

    /** A path under a pixel that no resource route names: 405 when one does under another method, else 404. */
    private Answer noSuchPixelResource(Call call) {
        pixelRoutes.pixel(call); // an unknown pixel is said first
        String path = call.exchange().path();
        if (!resources.methods(path, true).isEmpty()) {
            throw BadRequest.method();
        }
        String[] parts = path.split("/", -1); // "", "api", "pixels", id, resource, ...
        String resource = parts.length > 4 ? parts[4] : "";
        throw new BadRequest(HttpResponseStatus.NOT_FOUND, "no such pixel resource: " + ApiJson.truncate(resource));
    }
}
