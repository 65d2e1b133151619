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
    value             DOUBLE,
    currency          VARCHAR,
    campaign          VARCHAR,
    recipient         VARCHAR,
    link              VARCHAR,
    props             MAP(VARCHAR, VARCHAR),
    local_hour        TINYINT              -- 0-23: the hour on the visitor's clock (time_zone) at the hit
);

-- Stores made before local_hour existed get it too (null for their old events).
ALTER TABLE events ADD COLUMN IF NOT EXISTS local_hour TINYINT;

-- Saved in the same transaction as each batch of events: where the journal replay resumes.
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
    value         DOUBLE,
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
    value         DOUBLE   NOT NULL,
    is_first      BOOLEAN  NOT NULL,
    first_value   DOUBLE   NOT NULL,
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
