-- One UTC day of ${events} synthetic hits for one pixel, straight into the store (LargeDay): shaped
-- like a busy site's day for the rollup and the jobs over it. A third as many visitors as hits
-- (cookieless ids, 22 characters), 80% page views, goal hits with values, 6% of the hits set apart
-- (bots, automation, scanners). Hits run in time order, as the loader appends them.
INSERT INTO events (seq, time, pixel, kind, name, url, host, path, title, referrer, channel, source,
                    utm_source, utm_medium, utm_campaign, visitor_id, ip_prefix, country, region, city,
                    device_class, browser, browser_version, os, os_version, language, screen, value,
                    currency, campaign, link, verdict, verdict_reasons, user_agent, local_hour)
SELECT ${seq0} + i, TIMESTAMP '${day}' + to_microseconds(i * 86400000000 // ${events}), '${pixel}',
       kind, name, 'https://shop.example.com' || path, 'shop.example.com', path, 'Shop: ' || path,
       CASE WHEN entry AND channel <> 'direct' THEN 'https://' || lower(coalesce(source, 'ref')) || '.example/' END,
       channel, source, CASE WHEN medium IS NOT NULL THEN lower(source) END, medium, campaign,
       substr(md5(CAST(visitor AS VARCHAR)), 1, 22), '203.0.' || (visitor % 250) || '.0', country,
       country || '-' || (visitor % 9), 'City ' || (visitor % 300), device, browser, '1' || (visitor % 30) || '.0', os,
       CAST(visitor % 18 AS VARCHAR), ['de', 'en', 'fr'][1 + visitor % 3], '1920x1080',
       CASE WHEN name = 'purchase' THEN 10 + (i % 190) + 0.95 END, CASE WHEN name = 'purchase' THEN 'EUR' END,
       CASE WHEN kind = 'email_open' THEN 'spring-' || (visitor % 4) END,
       CASE WHEN kind = 'link_click' THEN 'l' || (visitor % 50) END,
       verdict, CASE WHEN verdict <> 'human' THEN 'agent' END,
       'Mozilla/5.0 (' || os || ') AppleWebKit/537.36 (KHTML, like Gecko) ' || browser || '/1' || (visitor % 30) || '.0 Safari/537.36',
       CAST((i * 24 // ${events}) AS TINYINT)
FROM (
    SELECT i, visitor, entry,
           CASE WHEN r < 80 THEN 'page_view' WHEN r < 92 THEN 'event' WHEN r < 96 THEN 'goal'
                WHEN r < 98 THEN 'email_open' ELSE 'link_click' END AS kind,
           CASE WHEN r < 80 THEN NULL WHEN r < 86 THEN 'video_play' WHEN r < 90 THEN 'signup'
                WHEN r < 92 THEN 'newsletter' WHEN r < 94 THEN 'add_to_cart' WHEN r < 96 THEN 'purchase' END AS name,
           CASE WHEN i % 50 = 0 THEN '/thanks' ELSE '/' || ['', 'pricing', 'blog/post-' || (i % 400),
                   'product/' || (i % 3000), 'checkout', 'about'][1 + (i % 6)] END AS path,
           CASE WHEN entry THEN ['search', 'direct', 'social', 'email', 'paid', 'referral'][1 + visitor % 6]
                ELSE 'internal' END AS channel,
           CASE WHEN entry THEN ['Google', NULL, 'Facebook', 'newsletter', 'google', 'news.example'][1 + visitor % 6] END AS source,
           CASE WHEN entry AND visitor % 6 IN (3, 4) THEN ['email', 'cpc'][visitor % 6 - 2] END AS medium,
           CASE WHEN entry AND visitor % 6 IN (3, 4) THEN 'campaign-' || (visitor % 12) END AS campaign,
           ['DE', 'CH', 'FR', 'US', 'GB', 'AT', 'IT', 'NL', NULL][1 + visitor % 9] AS country,
           ['Desktop', 'Phone', 'Phone', 'Tablet'][1 + (visitor // 7) % 4] AS device,
           ['Chrome', 'Safari', 'Firefox', 'Edge'][1 + (visitor // 5) % 4] AS browser,
           ['Windows NT', 'iOS', 'Android', 'Mac OS'][1 + (visitor // 11) % 4] AS os,
           CASE WHEN visitor % 50 < 47 THEN 'human' ELSE ['bot', 'automation', 'scanner'][1 + visitor % 3] END AS verdict
    FROM (
        -- a visitor's hits are spread over the day: visitor ids cycle through the day's third of them
        SELECT i, (i * 7919) % (${events} // 3 + 1) AS visitor, hash(i * 31) % 5 = 0 AS entry, hash(i) % 100 AS r
        FROM range(${events}) t(i)
    )
);
INSERT INTO goal_achievements (seq, time, pixel, goal_id, goal_version, visitor_id, value, currency)
SELECT seq, time, pixel, 'g_' || name, 1, visitor_id, value, currency FROM events
WHERE pixel = '${pixel}' AND seq > ${seq0} AND kind IN ('event', 'goal') AND name IN ('signup', 'newsletter', 'add_to_cart', 'purchase')
UNION ALL
SELECT seq, time, pixel, 'g_thanks', 1, visitor_id, NULL, NULL FROM events
WHERE pixel = '${pixel}' AND seq > ${seq0} AND kind = 'page_view' AND path = '/thanks';
