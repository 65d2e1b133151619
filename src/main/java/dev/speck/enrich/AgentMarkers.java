package dev.speck.enrich;

import java.util.List;

/**
 * The user-agent words that say more than "a robot": automation, email image proxies, scanners and
 * server-side HTTP libraries, each with the reason code it gives. Matched on the lower-cased agent,
 * before YAUAA's classes and the crawler list (which call most of these robots too).
 */
final class AgentMarkers {

    private record Marker(String text, boolean atStart, Verdict verdict, String reason) {
    }

    private static final List<Marker> MARKERS = List.of(
            anywhere("headlesschrome", Verdict.AUTOMATION, "headless"),
            anywhere("phantomjs", Verdict.AUTOMATION, "headless"),
            anywhere("slimerjs", Verdict.AUTOMATION, "headless"),
            anywhere("htmlunit", Verdict.AUTOMATION, "headless"),
            anywhere("puppeteer", Verdict.AUTOMATION, "automation:puppeteer"),
            anywhere("playwright", Verdict.AUTOMATION, "automation:playwright"),
            anywhere("selenium", Verdict.AUTOMATION, "automation:selenium"),
            anywhere("webdriver", Verdict.AUTOMATION, "automation:webdriver"),
            anywhere("cypress", Verdict.AUTOMATION, "automation:cypress"),
            anywhere("googleimageproxy", Verdict.EMAIL_PROXY, "email-proxy:gmail"),
            anywhere("yahoomailproxy", Verdict.EMAIL_PROXY, "email-proxy:yahoo"),
            anywhere("barracuda", Verdict.SCANNER, "scanner:barracuda"),
            anywhere("proofpoint", Verdict.SCANNER, "scanner:proofpoint"),
            anywhere("mimecast", Verdict.SCANNER, "scanner:mimecast"),
            anywhere("masscan", Verdict.SCANNER, "scanner:masscan"),
            anywhere("zgrab", Verdict.SCANNER, "scanner:zgrab"),
            anywhere("nmap scripting engine", Verdict.SCANNER, "scanner:nmap"),
            anywhere("nikto", Verdict.SCANNER, "scanner:nikto"),
            anywhere("sqlmap", Verdict.SCANNER, "scanner:sqlmap"),
            anywhere("censysinspect", Verdict.SCANNER, "scanner:censys"),
            anywhere("expanse, a palo alto networks", Verdict.SCANNER, "scanner:expanse"),
            anywhere("projectdiscovery/nuclei", Verdict.SCANNER, "scanner:nuclei"),
            anywhere("wpscan", Verdict.SCANNER, "scanner:wpscan"),
            anywhere("qualys", Verdict.SCANNER, "scanner:qualys"),
            anywhere("nessus", Verdict.SCANNER, "scanner:nessus"),
            anywhere("openvas", Verdict.SCANNER, "scanner:openvas"),
            anywhere("zmeu", Verdict.SCANNER, "scanner:zmeu"),
            atStart("curl/", Verdict.SERVER, "server:curl"),
            atStart("wget/", Verdict.SERVER, "server:wget"),
            atStart("python-requests/", Verdict.SERVER, "server:python-requests"),
            atStart("python-urllib/", Verdict.SERVER, "server:python-urllib"),
            atStart("python-httpx/", Verdict.SERVER, "server:python-httpx"),
            anywhere("aiohttp/", Verdict.SERVER, "server:aiohttp"),
            atStart("python/", Verdict.SERVER, "server:python"),
            atStart("go-http-client/", Verdict.SERVER, "server:go"),
            atStart("java/", Verdict.SERVER, "server:java"),
            atStart("java-http-client/", Verdict.SERVER, "server:java"),
            atStart("apache-httpclient/", Verdict.SERVER, "server:apache-httpclient"),
            atStart("okhttp/", Verdict.SERVER, "server:okhttp"),
            atStart("node-fetch", Verdict.SERVER, "server:node-fetch"),
            atStart("node/", Verdict.SERVER, "server:node"),
            atStart("undici", Verdict.SERVER, "server:node"),
            atStart("axios/", Verdict.SERVER, "server:axios"),
            atStart("got (", Verdict.SERVER, "server:got"),
            atStart("libwww-perl/", Verdict.SERVER, "server:perl"),
            atStart("postmanruntime/", Verdict.SERVER, "server:postman"),
            atStart("insomnia/", Verdict.SERVER, "server:insomnia"),
            atStart("httpie/", Verdict.SERVER, "server:httpie"),
            atStart("ruby", Verdict.SERVER, "server:ruby"),
            atStart("faraday v", Verdict.SERVER, "server:ruby"),
            atStart("guzzlehttp/", Verdict.SERVER, "server:php"),
            atStart("php/", Verdict.SERVER, "server:php"),
            atStart("dart/", Verdict.SERVER, "server:dart"),
            atStart("reqwest/", Verdict.SERVER, "server:rust"),
            anywhere("windowspowershell/", Verdict.SERVER, "server:powershell"));

    private AgentMarkers() {
    }

    private static Marker anywhere(String text, Verdict verdict, String reason) {
        return new Marker(text, false, verdict, reason);
    }

    private static Marker atStart(String text, Verdict verdict, String reason) {
        return new Marker(text, true, verdict, reason);
    }

    /** The first marker's verdict for a lower-cased agent; null when none is in it. */
    static TrafficQuality classify(String lowerCaseAgent) {
        for (Marker m : MARKERS) {
            if (m.atStart() ? lowerCaseAgent.startsWith(m.text()) : lowerCaseAgent.contains(m.text())) {
                return TrafficQuality.of(m.verdict(), m.reason());
            }
        }
        return null;
    }
}
