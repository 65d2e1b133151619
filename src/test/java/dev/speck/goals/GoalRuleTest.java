package dev.speck.goals;

import dev.speck.hit.Hit;
import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GoalRuleTest {

    private static Hit hit(HitKind kind, String name, String url, Double value, String currency) {
        return Hit.of(0, kind, "p").name(name).page(new Hit.Page(url, null, null))
                .client(new Hit.Client("203.0.113.9", "ua")).value(new Hit.Value(value == null ? null : java.math.BigDecimal.valueOf(value), currency))
                .email(new Hit.Email("spring", null)).link(new Hit.Link("aB3")).build();
    }

    private static Hit page(String url) {
        return hit(HitKind.PAGE_VIEW, null, url, null, null);
    }

    @Test
    void eventNameMatchesEventsAndGoalsOfThatNameOnly() {
        GoalRule r = new GoalRule.EventName("signup");
        assertThat(r.matches(hit(HitKind.EVENT, "signup", null, null, null))).isTrue();
        assertThat(r.matches(hit(HitKind.GOAL, "signup", null, null, null))).isTrue();
        assertThat(r.matches(hit(HitKind.EVENT, "signup2", null, null, null))).isFalse();
        assertThat(r.matches(hit(HitKind.PAGE_VIEW, "signup", null, null, null))).isFalse();
    }

    @Test
    void pageUrlIgnoresQueryAndFragmentAndComparesPathsWhenTheValueIsAPath() {
        GoalRule equals = new GoalRule.PageUrl(GoalRule.UrlMatch.EQUALS, "/thanks");
        assertThat(equals.matches(page("https://shop.example.com/thanks?order=1#top"))).isTrue();
        assertThat(equals.matches(page("https://other.example.org/thanks"))).isTrue();
        assertThat(equals.matches(page("https://shop.example.com/thanks/more"))).isFalse();
        assertThat(equals.matches(page("https://shop.example.com"))).isFalse();

        GoalRule full = new GoalRule.PageUrl(GoalRule.UrlMatch.STARTS_WITH, "https://shop.example.com/order/");
        assertThat(full.matches(page("https://shop.example.com/order/42?x=1"))).isTrue();
        assertThat(full.matches(page("https://evil.example.com/order/42"))).isFalse();
    }

    @Test
    void matchesIsAGlobWhereStarIsAnyRunOfCharacters() {
        GoalRule r = new GoalRule.PageUrl(GoalRule.UrlMatch.MATCHES, "/product/*/buy*");
        assertThat(r.matches(page("https://s.example/product/shoe/buy"))).isTrue();
        assertThat(r.matches(page("https://s.example/product/a/b/buy-now"))).isTrue();
        assertThat(r.matches(page("https://s.example/product/buy"))).isFalse();
        assertThat(r.matches(page("https://s.example/products/x/buy"))).isFalse();
        GoalRule dots = new GoalRule.PageUrl(GoalRule.UrlMatch.MATCHES, "/a.b*");
        assertThat(dots.matches(page("https://s.example/axb"))).as("dots are literal").isFalse();
        assertThat(Glob.matches("*a*a", "aa")).isTrue();
        assertThat(Glob.matches("a*a", "a")).as("pieces may not overlap").isFalse();
    }

    @Test
    void linkAndEmailRulesMatchTheirCodeOrAny() {
        assertThat(new GoalRule.LinkClick(null).matches(hit(HitKind.LINK_CLICK, null, null, null, null))).isTrue();
        assertThat(new GoalRule.LinkClick("aB3").matches(hit(HitKind.LINK_CLICK, null, null, null, null))).isTrue();
        assertThat(new GoalRule.LinkClick("zzz").matches(hit(HitKind.LINK_CLICK, null, null, null, null))).isFalse();
        assertThat(new GoalRule.EmailOpen("spring").matches(hit(HitKind.EMAIL_OPEN, null, null, null, null))).isTrue();
        assertThat(new GoalRule.EmailOpen("autumn").matches(hit(HitKind.EMAIL_OPEN, null, null, null, null))).isFalse();
    }

    @Test
    void aValueFromTheHitIsClampedAndNeedsTheGoalsCurrency() {
        GoalValue v = new GoalValue.FromHit(java.math.BigDecimal.ONE, java.math.BigDecimal.valueOf(500));
        assertThat(v.of(hit(HitKind.GOAL, "buy", null, 900.0, "EUR"), "EUR")).isEqualByComparingTo("500");
        assertThat(v.of(hit(HitKind.GOAL, "buy", null, 0.5, null), "EUR")).isEqualByComparingTo("1");
        assertThat(v.of(hit(HitKind.GOAL, "buy", null, 90.0, "USD"), "EUR")).isNull();
        assertThat(v.of(hit(HitKind.GOAL, "buy", null, null, null), "EUR")).isNull();
        assertThat(new GoalValue.Fixed(java.math.BigDecimal.TEN).of(hit(HitKind.GOAL, "buy", null, 90.0, "USD"), null)).isEqualByComparingTo("10");
    }
}
