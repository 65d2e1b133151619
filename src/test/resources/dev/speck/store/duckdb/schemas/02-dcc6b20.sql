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
