-- Speck's embedded store. Applied at every start; statements must be idempotent.
CREATE TABLE IF NOT EXISTS events (
    seq               BIGINT    NOT NULL,  -- load order, unique: pages the raw listing
    time              TIMESTAMP NOT NULL,  -- UTC
    pixel             VARCHAR   NOT NULL,
    kind              VARCHAR   NOT NULL,  -- page_view, event, goal, email_open, link_click
    name              VARCHAR,
    url               VARCHAR,
    host              VARCHAR,
    path              VARCHAR,
    title             VARCHAR,
    referrer          VARCHAR,
    channel           VARCHAR,
    source            VARCHAR,
    search_term       VARCHAR,
    utm_source        VARCHAR,
    utm_medium        VARCHAR,
    utm_campaign      VARCHAR,
    utm_term          VARCHAR,
    utm_content       VARCHAR,
    click_id_type     VARCHAR,
    click_id          VARCHAR,
    visitor_id        VARCHAR,
    ip_prefix         VARCHAR,             -- truncated: /24 for IPv4, /48 for IPv6
    country           VARCHAR,
    region            VARCHAR,
    city              VARCHAR,
    latitude          DOUBLE,
    longitude         DOUBLE,
    geo_time_zone     VARCHAR,
    geo_database      VARCHAR,
    browser_time_zone VARCHAR,
    time_zone         VARCHAR,             -- the browser's zone when known, else the geodata's
    device_class      VARCHAR,
    device_brand      VARCHAR,
    browser           VARCHAR,
    browser_version   VARCHAR,
    os                VARCHAR,
    os_version        VARCHAR,
    is_bot            BOOLEAN,
    language          VARCHAR,
    screen            VARCHAR,
    value             DECIMAL(18,4),       -- exact; older stores converted at open (MoneyColumns)
    currency          VARCHAR,
    campaign          VARCHAR,
    recipient         VARCHAR,
    link              VARCHAR,
    props             MAP(VARCHAR, VARCHAR),
    local_hour        TINYINT              -- 0-23: the hour on the visitor's clock (time_zone) at the hit
);

-- Stores made before local_hour existed get it too (null for their old events).
ALTER TABLE events ADD COLUMN IF NOT EXISTS local_hour TINYINT;

-- The last seq moved from memory into events, in the move's transaction: the views visible.events and
-- visible.goal_achievements skip in-memory rows up to it (DuckDbDatabase.attachLoaded). One row.
CREATE TABLE IF NOT EXISTS events_moved (seq BIGINT NOT NULL);
INSERT INTO events_moved SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM events_moved);

-- Saved in the same transaction as each move of events into the file: where the journal replay resumes.
CREATE TABLE IF NOT EXISTS journal_checkpoints (
    lane     VARCHAR PRIMARY KEY,
    segment  BIGINT NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS pixels (
    id              VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    enabled         BOOLEAN NOT NULL,
    allowed_origins VARCHAR[] NOT NULL,
    goals           VARCHAR NOT NULL,     -- JSON array of goals
    created         TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS links (
    code         VARCHAR PRIMARY KEY,
    pixel        VARCHAR NOT NULL,
    destination  VARCHAR NOT NULL,         -- with its UTM parameters
    campaign     VARCHAR,
    created      TIMESTAMP NOT NULL
);

-- Goals (issue 3). The current definition of each goal; rule, value and counting as JSON.
CREATE TABLE IF NOT EXISTS goals (
    id          VARCHAR PRIMARY KEY,
    pixel       VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    definition  VARCHAR NOT NULL,
    created     TIMESTAMP NOT NULL,
    updated     TIMESTAMP NOT NULL
);

-- Every version a goal has had, kept after edits and deletion: achievements name theirs.
CREATE TABLE IF NOT EXISTS goal_versions (
    goal_id     VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    pixel       VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    definition  VARCHAR NOT NULL,
    saved       TIMESTAMP NOT NULL,
    PRIMARY KEY (goal_id, version)
);

-- One row per (event, goal) it achieved, stored in the same transaction as the event.
CREATE TABLE IF NOT EXISTS goal_achievements (
    seq           BIGINT    NOT NULL,  -- the achieving event's seq
    time          TIMESTAMP NOT NULL,  -- UTC, the event's
    pixel         VARCHAR   NOT NULL,
    goal_id       VARCHAR   NOT NULL,
    goal_version  INTEGER   NOT NULL,
    visitor_id    VARCHAR,
    value         DECIMAL(18,4),
    currency      VARCHAR
);

-- One row per visitor and UTC day, for the goals report: visitor ids are cookieless and daily,
-- so a visitor lives within one day and a past day's visitors can be summed up once. Built by
-- VisitorRollup for days before today; the report reads events directly for other days.
CREATE TABLE IF NOT EXISTS visitor_days (
    pixel         VARCHAR   NOT NULL,
    day           DATE      NOT NULL,
    visitor_id    VARCHAR   NOT NULL,
    first_seen    TIMESTAMP NOT NULL,
    channel       VARCHAR,             -- each: the visitor's first non-empty value of the day
    source        VARCHAR,
    utm_campaign  VARCHAR,
    utm_medium    VARCHAR,
    landing_page  VARCHAR,             -- the path of its first page view
    country       VARCHAR,
    device_class  VARCHAR,
    browser       VARCHAR,
    os            VARCHAR
);

-- The days visitor_days holds, with the last event seq they include.
CREATE TABLE IF NOT EXISTS rolled_days (
    pixel        VARCHAR NOT NULL,
    day          DATE    NOT NULL,
    through_seq  BIGINT  NOT NULL,
    PRIMARY KEY (pixel, day)
);

-- Events up to this seq are in visitor_days, or belong to a day not rolled up yet.
CREATE TABLE IF NOT EXISTS rollup_state (
    id         INTEGER PRIMARY KEY,
    watermark  BIGINT NOT NULL
);

-- Per visitor, day and goal (and goal version): what the goals report sums, for the days in
-- rolled_days. implicit rows are a pixel's own event/goal/email/link hits keyed kind:name, the
-- goals of a pixel without goals. is_first marks the row holding the visitor's first achievement
-- of the goal that day (first_value is its value), which is how once-per-visitor goals count.
CREATE TABLE IF NOT EXISTS goal_visitor_days (
    pixel         VARCHAR  NOT NULL,
    day           DATE     NOT NULL,
    goal          VARCHAR  NOT NULL,
    implicit      BOOLEAN  NOT NULL,
    version       INTEGER  NOT NULL,
    visitor_id    VARCHAR,
    achievements  BIGINT   NOT NULL,
    value         DECIMAL(38,4) NOT NULL,  -- sums: exact, and room for them
    is_first      BOOLEAN  NOT NULL,
    first_value   DECIMAL(38,4) NOT NULL,
    currency      VARCHAR
);

-- Customers (issue 4): the people a site knows, imported or upserted by external id or email.
-- email is stored lower-case; attributes is a bounded JSON object; aliases are the opaque
-- recipient tokens the site puts in email pixels and signed links for this customer.
CREATE TABLE IF NOT EXISTS customers (
    id           VARCHAR PRIMARY KEY,     -- Speck's own id (c_…): what the API and identity links use
    external_id  VARCHAR,
    email        VARCHAR,
    name         VARCHAR,
    attributes   VARCHAR NOT NULL,        -- JSON object
    aliases      VARCHAR[] NOT NULL,
    created      TIMESTAMP NOT NULL,
    updated      TIMESTAMP NOT NULL
);

-- Which visitor ids are which customer: written by the loader when a hit is recognised (signed
-- identify, signed landing URL, signed email open, signed link). Joined to events at query time,
-- so a visitor id's earlier hits join the profile too and the events table is never rewritten.
CREATE TABLE IF NOT EXISTS identity_links (
    customer_id  VARCHAR   NOT NULL,
    visitor_id   VARCHAR   NOT NULL,
    pixel        VARCHAR   NOT NULL,
    source       VARCHAR   NOT NULL,      -- identify, landing, email_open, link_click
    first_seen   TIMESTAMP NOT NULL,      -- the recognised hit's time
    PRIMARY KEY (customer_id, visitor_id)
);

-- Visitor privacy per pixel (issue 4); data folders made before it get the defaults.
ALTER TABLE pixels ADD COLUMN IF NOT EXISTS identity_mode VARCHAR DEFAULT 'cookieless';
ALTER TABLE pixels ADD COLUMN IF NOT EXISTS consent_rule VARCHAR DEFAULT 'not-required';
ALTER TABLE pixels ADD COLUMN IF NOT EXISTS honour_dnt BOOLEAN DEFAULT TRUE;
ALTER TABLE pixels ADD COLUMN IF NOT EXISTS retention_days INTEGER DEFAULT 395;

-- The full client address, only while an admin keeps raw IPs on (null otherwise); the retention
-- job clears it after raw_ip_retention_days.
ALTER TABLE events ADD COLUMN IF NOT EXISTS raw_ip VARCHAR;

-- Traffic quality (issue 19): the verdict (human, bot, automation, email-proxy, scanner, test, server),
-- its reasons (comma-separated codes) and the user agent (at most 512 characters, for reclassification).
-- Rows stored before have no verdict: they read as human unless is_bot (ReportSql.VERDICT).
ALTER TABLE events ADD COLUMN IF NOT EXISTS verdict VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS verdict_reasons VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS user_agent VARCHAR;

-- Per pixel, day and verdict: the hits reports set apart (not human), for the days in rolled_days.
CREATE TABLE IF NOT EXISTS set_apart_days (
    pixel    VARCHAR NOT NULL,
    day      DATE    NOT NULL,
    verdict  VARCHAR NOT NULL,
    hits     BIGINT  NOT NULL
);

-- Days to roll up again (VisitorRollup): their verdicts changed (an admin's reclassification).
CREATE TABLE IF NOT EXISTS rollup_pending (
    pixel  VARCHAR NOT NULL,
    day    DATE    NOT NULL
);

-- One-time upgrades, by name.
CREATE TABLE IF NOT EXISTS schema_marks (mark VARCHAR PRIMARY KEY);

-- Days rolled up before traffic quality counted bots as visitors: reports read their events until
-- they are rolled again (people only, set-apart counts beside them). Once.
INSERT INTO rollup_pending SELECT pixel, day FROM rolled_days
    WHERE NOT EXISTS (SELECT 1 FROM schema_marks WHERE mark = 'traffic-quality');
DELETE FROM rolled_days WHERE NOT EXISTS (SELECT 1 FROM schema_marks WHERE mark = 'traffic-quality');
INSERT INTO schema_marks SELECT 'traffic-quality' WHERE NOT EXISTS (SELECT 1 FROM schema_marks WHERE mark = 'traffic-quality');

-- An admin's traffic rules: hits matching a user-agent pattern or an address range get this verdict.
CREATE TABLE IF NOT EXISTS traffic_rules (
    id       VARCHAR PRIMARY KEY,
    kind     VARCHAR NOT NULL,            -- agent, agent-regex, address
    pattern  VARCHAR NOT NULL,
    verdict  VARCHAR NOT NULL,
    note     VARCHAR,
    created  TIMESTAMP NOT NULL
);

-- Account-wide settings (issue 4): one row, id 1; absent means the defaults.
CREATE TABLE IF NOT EXISTS account_settings (
    id                     INTEGER PRIMARY KEY,
    pixels_enabled         BOOLEAN NOT NULL,
    keep_raw_ip            BOOLEAN NOT NULL,
    raw_ip_retention_days  INTEGER NOT NULL,
    updated                TIMESTAMP NOT NULL
);

-- Triggers (issue 20): a rule and an action per row, its definition as the API's JSON (with header
-- values); trigger_firings records what fired for whom, for the once-per limits (the outbox keeps
-- the deliveries themselves).
CREATE TABLE IF NOT EXISTS triggers (
    id          VARCHAR PRIMARY KEY,
    pixel       VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    enabled     BOOLEAN NOT NULL,
    definition  VARCHAR NOT NULL,
    created     TIMESTAMP NOT NULL,
    updated     TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS trigger_firings (
    key         VARCHAR PRIMARY KEY,      -- trigger id:hit key (the hit's journal record)
    trigger_id  VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,         -- customer id, or v:<visitor id>
    fired_at    TIMESTAMP NOT NULL        -- the hit's time
);

-- Webhook deliveries (issue 20, docs/DELIVERY.md): the outbox. One row per key (a trigger writes
-- "<trigger id>:<hit's journal record>", so replaying the journal never enqueues twice); seq is enqueue order.
CREATE SEQUENCE IF NOT EXISTS delivery_order;
CREATE TABLE IF NOT EXISTS deliveries (
    key           VARCHAR PRIMARY KEY,
    seq           BIGINT    NOT NULL DEFAULT nextval('delivery_order'),
    source        VARCHAR   NOT NULL,     -- what enqueued it (a trigger's id)
    customer_id   VARCHAR,                -- one customer's deliveries go out in seq order
    url           VARCHAR   NOT NULL,
    method        VARCHAR   NOT NULL,
    headers       VARCHAR   NOT NULL,     -- JSON object of custom headers
    body          VARCHAR   NOT NULL,
    created       TIMESTAMP NOT NULL,
    retries_from  TIMESTAMP NOT NULL,     -- the retry horizon counts from here (enqueued or re-delivered)
    attempts      INTEGER   NOT NULL,
    next_attempt  TIMESTAMP NOT NULL,     -- due (pending; a claimed attempt's lease), or when it ended
    status        VARCHAR   NOT NULL      -- pending, delivered, dead
);

-- The delivery log: one row per attempt, written in flight and completed when it ends.
CREATE TABLE IF NOT EXISTS delivery_attempts (
    delivery_key  VARCHAR   NOT NULL,
    attempt       INTEGER   NOT NULL,
    started       TIMESTAMP NOT NULL,
    outcome       VARCHAR   NOT NULL,     -- in-flight, delivered, failed, refused, interrupted
    status_code   INTEGER,
    error         VARCHAR,
    latency_ms    BIGINT,
    excerpt       VARCHAR,                -- the answer's first 500 characters
    retry_in_ms   BIGINT,
    PRIMARY KEY (delivery_key, attempt)
);

-- Each target endpoint's signing secret (scheme, host, port and path), made on first use.
CREATE TABLE IF NOT EXISTS delivery_secrets (
    endpoint  VARCHAR PRIMARY KEY,
    secret    VARCHAR NOT NULL,
    created   TIMESTAMP NOT NULL
);

-- Segments (issue 20, docs/SEGMENTS.md): a rule's members are judged again as hits are stored
-- (segments.SegmentJob); a list's are uploaded. person is a customer id, or v:<visitor id>.
-- segment_changes records each entry and exit (dispatched once handed to triggers); segment_sizes
-- the size at the end of each day; segment_watermark the last event seq and time the job judged.
CREATE TABLE IF NOT EXISTS segments (
    id          VARCHAR PRIMARY KEY,
    pixel       VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    definition  VARCHAR NOT NULL,
    created     TIMESTAMP NOT NULL,
    updated     TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS segment_members (
    segment_id  VARCHAR NOT NULL,
    person      VARCHAR NOT NULL,
    entered     TIMESTAMP NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS segment_change_order;
CREATE TABLE IF NOT EXISTS segment_changes (
    id          BIGINT NOT NULL DEFAULT nextval('segment_change_order'),
    segment_id  VARCHAR NOT NULL,
    pixel       VARCHAR NOT NULL,
    person      VARCHAR NOT NULL,
    entered     BOOLEAN NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    dispatched  BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS segment_sizes (
    segment_id  VARCHAR NOT NULL,
    day         DATE NOT NULL,
    members     INTEGER NOT NULL,
    PRIMARY KEY (segment_id, day)
);
CREATE TABLE IF NOT EXISTS segment_watermark (
    seq         BIGINT NOT NULL,
    judged_at   TIMESTAMP NOT NULL
);
