package dev.speck.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a user agent (and its client hints) into a Device, with a bounded cache in front of YAUAA:
 * parsing costs tens of microseconds while a page's hits repeat the same few browsers.
 *
 * <p>The analyzer takes seconds and about 100 MB of heap to build, so it is built once, on first use or
 * by {@link #warmUp()} on the enrichment thread at start-up, never on an HTTP thread. It is built with
 * {@code immediateInitialization()} so that all of that cost is paid in the build and the first parse is
 * not the slow one, then compacted to ~64 MB ({@link AnalyzerCompaction}); its own cache is off
 * ({@code withCache(0)}) because ours sits in front of it.
 * YAUAA is thread-safe (it serialises parses internally), and so is the Caffeine cache.
 */
final class UserAgents {

    /** The client hint headers YAUAA reads, lower-case as the collector stores them. */
    static final List<String> CLIENT_HINTS = List.of(
            "sec-ch-ua", "sec-ch-ua-arch", "sec-ch-ua-bitness", "sec-ch-ua-form-factors",
            "sec-ch-ua-full-version", "sec-ch-ua-full-version-list", "sec-ch-ua-mobile",
            "sec-ch-ua-model", "sec-ch-ua-platform", "sec-ch-ua-platform-version", "sec-ch-ua-wow64");

    /** YAUAA's device classes for automated clients (it has no "Spy" class). */
    static final Set<String> BOT_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Hacker");

    /** What YAUAA computes for a {@link Device}; asking for less lets it skip rules. */
    static final List<String> FIELDS = List.of(UserAgent.DEVICE_CLASS, UserAgent.DEVICE_BRAND,
            UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION_MAJOR,
            UserAgent.OPERATING_SYSTEM_NAME, UserAgent.OPERATING_SYSTEM_VERSION_MAJOR);

    private static final int MAX_USER_AGENT_LENGTH = 2048;

    private final Cache<String, Device> cache;
    private volatile UserAgentAnalyzer analyzer;

    UserAgents(int cacheSize) {
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
    }

    /** Builds the analyzer now, so the first hit does not wait for it. */
    void warmUp() {
        analyzer();
    }

    /** The device behind a user agent; {@link Device#UNKNOWN} when there is nothing to parse. */
    Device parse(String userAgent, Map<String, String> clientHints) {
        if (userAgent == null || userAgent.isBlank()) {
            return Device.UNKNOWN;
        }
        String ua = userAgent.length() > MAX_USER_AGENT_LENGTH ? userAgent.substring(0, MAX_USER_AGENT_LENGTH) : userAgent;
        Map<String, String> hints = clientHints == null ? Map.of() : clientHints;
        return cache.get(key(ua, hints), k -> analyze(ua, hints));
    }

    double cacheHitRate() {
        return cache.stats().hitRate();
    }

    long cacheSize() {
        return cache.estimatedSize();
    }

    /** The agent itself when it came without hints (no copy per hit); a header value holds no newline. */
    private static String key(String ua, Map<String, String> hints) {
        if (hints.isEmpty()) {
            return ua;
        }
        StringBuilder key = new StringBuilder(ua.length() + 64).append(ua);
        for (String name : CLIENT_HINTS) {
            String value = hints.get(name);
            if (value != null) {
                key.append('\n').append(name).append(':').append(value);
            }
        }
        return key.toString();
    }

    private Device analyze(String ua, Map<String, String> hints) {
        try {
            Map<String, String> headers = new HashMap<>();
            headers.put("User-Agent", ua);
            for (String name : CLIENT_HINTS) {
                String value = hints.get(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            return toDevice(analyzer().parse(headers));
        } catch (RuntimeException | StackOverflowError unparseable) {
            // An agent nested deep enough (brackets, found by fuzzing) overflows YAUAA's recursive
            // parser: an unknown device, not an Error that would end the loader's thread.
            return Device.UNKNOWN;
        }
    }

    private static Device toDevice(UserAgent agent) {
        String deviceClass = agent.getValue(UserAgent.DEVICE_CLASS);
        return new Device(
                deviceClass == null ? "Unknown" : deviceClass,
                known(agent, UserAgent.DEVICE_BRAND),
                known(agent, UserAgent.AGENT_NAME),
                known(agent, UserAgent.AGENT_VERSION_MAJOR),
                known(agent, UserAgent.OPERATING_SYSTEM_NAME),
                known(agent, UserAgent.OPERATING_SYSTEM_VERSION_MAJOR),
                deviceClass != null && BOT_CLASSES.contains(deviceClass));
    }

    /** YAUAA answers "Unknown" or "??" where it has no value; the store wants null there. */
    private static String known(UserAgent agent, String field) {
        if (agent.get(field).isDefaultValue()) {
            return null;
        }
        String value = agent.getValue(field);
        return value == null || value.isBlank() || "??".equals(value) ? null : value;
    }

    /** The analyzer Speck uses, before it is built: only the fields a {@link Device} needs. */
    static UserAgentAnalyzer.UserAgentAnalyzerBuilder analyzerBuilder() {
        return UserAgentAnalyzer.newBuilder()
                .withFields(FIELDS)
                .withCache(0)
                .withoutClientHintsCache()
                .withUserAgentMaxLength(MAX_USER_AGENT_LENGTH)
                .hideMatcherLoadStats()
                .immediateInitialization();
    }

    private UserAgentAnalyzer analyzer() {
        UserAgentAnalyzer built = analyzer;
        if (built == null) {
            synchronized (this) {
                built = analyzer;
                if (built == null) {
                    built = analyzerBuilder()
                            .dropTests() // its own test cases would stay in the heap otherwise
                            .build();
                    AnalyzerCompaction.compact(built); // before it is shared: a third of its heap
                    analyzer = built;
                }
            }
        }
        return built;
    }
}
