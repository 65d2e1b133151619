package dev.speck.goals;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;

import java.util.Locale;

/** What a hit must be to achieve a goal. */
public sealed interface GoalRule {

    /** The longest name, code, message or URL pattern a rule may hold. */
    int MAX_TEXT = 512;
    /** The most wildcards a URL pattern may hold: keeps matching cheap on the loader thread. */
    int MAX_WILDCARDS = 8;

    boolean matches(Hit hit);

    /** An event or goal hit of this name (speck('event'|'goal', name)). */
    record EventName(String name) implements GoalRule {
        @Override
        public boolean matches(Hit hit) {
            return (hit.kind() == HitKind.EVENT || hit.kind() == HitKind.GOAL) && name.equals(hit.name());
        }
    }

    /**
     * A page view whose URL, without query string and fragment, equals, starts with, or matches a
     * pattern in which {@code *} stands for any run of characters (a glob, never a regex: no pattern
     * can make matching slow). A value starting with "/" is compared with the path only, so one rule
     * covers every host of the site; otherwise with scheme://host/path.
     */
    record PageUrl(UrlMatch match, String value) implements GoalRule {
        @Override
        public boolean matches(Hit hit) {
            if (hit.kind() != HitKind.PAGE_VIEW || hit.page().url() == null) {
                return false;
            }
            String url = withoutQuery(hit.page().url());
            String subject = value.startsWith("/") ? path(url) : url;
            return switch (match) {
                case EQUALS -> subject.equals(value);
                case STARTS_WITH -> subject.startsWith(value);
                case MATCHES -> Glob.matches(value, subject);
            };
        }

        private static String withoutQuery(String url) {
            int cut = url.length();
            int q = url.indexOf('?');
            int f = url.indexOf('#');
            if (q >= 0) {
                cut = q;
            }
            if (f >= 0 && f < cut) {
                cut = f;
            }
            return url.substring(0, cut);
        }

        private static String path(String url) {
            int scheme = url.indexOf("://");
            if (scheme < 0) {
                return url;
            }
            int slash = url.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : url.substring(slash);
        }
    }

    /** A click on a tracked link: this code, or any when code is null. */
    record LinkClick(String code) implements GoalRule {
        @Override
        public boolean matches(Hit hit) {
            return hit.kind() == HitKind.LINK_CLICK && (code == null || code.equals(hit.link().code()));
        }
    }

    /** An email open of this message (the m= of the open pixel), or any when message is null. */
    record EmailOpen(String message) implements GoalRule {
        @Override
        public boolean matches(Hit hit) {
            return hit.kind() == HitKind.EMAIL_OPEN && (message == null || message.equals(hit.email().campaign()));
        }
    }

    enum UrlMatch {
        EQUALS, STARTS_WITH, MATCHES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
