package dev.speck.enrich;

import dev.speck.hit.HitKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficSourcesTest {

    private static final Referrers REFERRERS = new Referrers(100);
    private final TrafficSources sources = new TrafficSources(REFERRERS);

    private TrafficSource fromReferrer(String referrer) {
        return sources.classify(TestHits.pageView().url("https://shop.example/shoes").referrer(referrer).build());
    }

    private TrafficSource landingOn(String url) {
        return sources.classify(TestHits.pageView().url(url).build());
    }

    @Test
    void noReferrerIsDirect() {
        assertThat(fromReferrer(null)).isEqualTo(TrafficSource.DIRECT);
        assertThat(fromReferrer("")).isEqualTo(TrafficSource.DIRECT);
    }

    @Test
    void googleSearchGivesTheSearchTerm() {
        TrafficSource source = fromReferrer("https://www.google.com/search?q=red+running%20shoes&hl=en");

        assertThat(source.channel()).isEqualTo("search");
        assertThat(source.source()).isEqualTo("Google");
        assertThat(source.term()).isEqualTo("red running shoes");
    }

    @Test
    void countrySubdomainsOfASearchEngineAreFoundThroughTheParentDomain() {
        TrafficSource source = fromReferrer("https://search.yahoo.co.jp/search?p=shoes");

        assertThat(source.channel()).isEqualTo("search");
        assertThat(source.source()).isEqualTo("Yahoo!");
    }

    @Test
    void pathEntriesWinOverTheBareHost() {
        assertThat(fromReferrer("https://www.google.com/imgres?imgurl=x").source()).isEqualTo("Google Images");
        assertThat(fromReferrer("https://google.com/products?q=boots").source()).isEqualTo("Google Product Search");
    }

    @Test
    void nonSearchPagesOfSearchCompaniesAreNotSearch() {
        TrafficSource source = fromReferrer("https://news.google.co.uk/articles/abc");

        assertThat(source.channel()).isEqualTo("other");
        assertThat(source.source()).isEqualTo("Google");
    }

    @Test
    void appReferrersNameTheAppAndItsChannel() {
        TrafficSource gmail = fromReferrer("android-app://com.google.android.gm/");
        assertThat(gmail.channel()).isEqualTo("email");
        assertThat(gmail.source()).isEqualTo("Gmail");

        TrafficSource googleApp = fromReferrer("android-app://com.google.android.googlequicksearchbox/https/www.google.com");
        assertThat(googleApp.channel()).isEqualTo("search");
        assertThat(googleApp.source()).isEqualTo("Google");

        TrafficSource facebook = fromReferrer("android-app://com.facebook.katana/");
        assertThat(facebook.channel()).isEqualTo("social");
        assertThat(facebook.source()).isEqualTo("Facebook");

        TrafficSource instagramIos = fromReferrer("ios-app://389801252/instagram");
        assertThat(instagramIos.channel()).isEqualTo("social");
        assertThat(instagramIos.source()).isEqualTo("Instagram");

        TrafficSource unknown = fromReferrer("android-app://org.example.reader/");
        assertThat(unknown.channel()).isEqualTo("app");
        assertThat(unknown.source()).isEqualTo("org.example.reader");
    }

    @Test
    void facebookIsSocial() {
        TrafficSource source = fromReferrer("https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example");

        assertThat(source.channel()).isEqualTo("social");
        assertThat(source.source()).isEqualTo("Facebook");
    }

    @Test
    void gmailAndOtherWebmailAreEmail() {
        assertThat(fromReferrer("https://mail.google.com/mail/u/0/").source()).isEqualTo("Gmail");
        assertThat(fromReferrer("https://mail.google.com/mail/u/0/").channel()).isEqualTo("email");
        assertThat(fromReferrer("https://outlook.live.com/mail/0/inbox").channel()).isEqualTo("email");
        assertThat(fromReferrer("https://webmail.example.net/?_task=mail").channel()).isEqualTo("email");
    }

    @Test
    void referrerOnSameHostIsInternal() {
        assertThat(fromReferrer("https://www.shop.example/cart").channel()).isEqualTo("internal");
        assertThat(fromReferrer("https://SHOP.example:443/").channel()).isEqualTo("internal");
    }

    @Test
    void unknownHostIsOtherWithTheHostAsSource() {
        TrafficSource source = fromReferrer("https://www.blog.example.org/post/42?ref=x");

        assertThat(source.channel()).isEqualTo("other");
        assertThat(source.source()).isEqualTo("blog.example.org");
    }

    @Test
    void malformedReferrerIsOtherWithoutSource() {
        for (String referrer : new String[] {"not a url", "http://", "https://exa mple.com/", "://x", "%%%", "http://[::1"}) {
            TrafficSource source = fromReferrer(referrer);
            assertThat(source.channel()).as(referrer).isEqualTo("other");
            assertThat(source.source()).as(referrer).isNull();
        }
    }

    @Test
    void utmTagsAreDecodedTrimmedAndCut() {
        TrafficSource source = landingOn("https://shop.example/?utm_source=%20newsletter%20&utm_medium=Email"
                + "&utm_campaign=spring+sale&utm_term=shoes&utm_content=" + "x".repeat(300) + "#top");

        assertThat(source.utmSource()).isEqualTo("newsletter");
        assertThat(source.utmMedium()).isEqualTo("Email");
        assertThat(source.utmCampaign()).isEqualTo("spring sale");
        assertThat(source.utmTerm()).isEqualTo("shoes");
        assertThat(source.utmContent()).hasSize(200);
        assertThat(source.channel()).isEqualTo("email");
        assertThat(source.source()).isEqualTo("newsletter");
    }

    @Test
    void gclidMakesThePaidSearchChannel() {
        TrafficSource source = sources.classify(TestHits.pageView()
                .url("https://shop.example/?gclid=Cj0KCQ_abc").referrer("https://www.google.com/").build());

        assertThat(source.channel()).isEqualTo("paid_search");
        assertThat(source.source()).isEqualTo("Google");
        assertThat(source.clickIdType()).isEqualTo("gclid");
        assertThat(source.clickId()).isEqualTo("Cj0KCQ_abc");
    }

    @Test
    void paidMediumMakesAPaidChannelBySource() {
        assertThat(landingOn("https://shop.example/?utm_source=bing&utm_medium=CPC").channel()).isEqualTo("paid_search");
        assertThat(landingOn("https://shop.example/?utm_source=acme&utm_medium=CPC").channel()).isEqualTo("paid");
        assertThat(landingOn("https://shop.example/?utm_source=bing&utm_medium=CPC").source()).isEqualTo("bing");
    }

    @Test
    void fbclidWithoutReferrerIsSocialFromFacebookNotPaid() {
        TrafficSource source = landingOn("https://shop.example/?fbclid=IwAR0abc");

        assertThat(source.channel()).isEqualTo("social");
        assertThat(source.source()).isEqualTo("Facebook");
        assertThat(source.clickIdType()).isEqualTo("fbclid");
    }

    @Test
    void emailOpenOfACampaignIsEmail() {
        TrafficSource source = sources.classify(TestHits.pageView().kind(HitKind.EMAIL_OPEN)
                .url(null).campaign("march-newsletter").build());

        assertThat(source.channel()).isEqualTo("email");
    }

    @Test
    void malformedPageUrlsDoNotThrow() {
        for (String url : new String[] {null, "", "?", "?&&=&utm_source", "https://shop.example/?utm_source=%E0%A4%A",
                "https://shop.example/?utm_source=100%", "?" + "a=1&".repeat(10_000)}) {
            assertThat(landingOn(url).channel()).as(url).isNotNull();
        }
        assertThat(landingOn("https://shop.example/?utm_source=100%").utmSource()).isEqualTo("100%");
    }
}
