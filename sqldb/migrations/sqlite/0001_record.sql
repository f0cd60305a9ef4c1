-- The record: ports and crossings, inspections (every version), seizures,
-- staffing, exit counts and BTS inbound volumes. Times are UTC text in a
-- fixed-width format so that they sort; days are 'YYYY-MM-DD'.
CREATE TABLE ports (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    state     TEXT NOT NULL,
    border    TEXT NOT NULL CHECK (border IN ('southwest', 'northern')),
    latitude  REAL,
    longitude REAL,
    time_zone TEXT NOT NULL,
    source    TEXT NOT NULL
);

CREATE TABLE crossings (
    code       TEXT PRIMARY KEY,
    port_code  TEXT NOT NULL REFERENCES ports (code),
    name       TEXT NOT NULL,
    latitude   REAL,
    longitude  REAL,
    modalities TEXT NOT NULL,
    source     TEXT NOT NULL
);
CREATE INDEX crossings_port ON crossings (port_code);

CREATE TABLE inspections (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    original_id   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    replaces      TEXT UNIQUE REFERENCES inspections (id),
    reason        TEXT NOT NULL,
    voided        INTEGER NOT NULL,
    crossing      TEXT NOT NULL REFERENCES crossings (code),
    started_at    TEXT NOT NULL,
    ended_at      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    local_day     TEXT NOT NULL,
    modality      TEXT NOT NULL,
    techniques    TEXT NOT NULL,
    trigger       TEXT NOT NULL,
    operation_id  TEXT,
    officers      TEXT NOT NULL,
    officer_count INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    notes         TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    UNIQUE (original_id, version)
);
CREATE INDEX inspections_crossing_day ON inspections (crossing, local_day);
CREATE INDEX inspections_started ON inspections (started_at, id);

CREATE TABLE seizures (
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    n             INTEGER NOT NULL,
    category      TEXT NOT NULL,
    quantity      REAL NOT NULL,
    unit          TEXT NOT NULL,
    value_usd     REAL NOT NULL,
    PRIMARY KEY (inspection_id, n)
);

CREATE TABLE staffing (
    id               TEXT PRIMARY KEY,
    crossing         TEXT NOT NULL REFERENCES crossings (code),
    day              TEXT NOT NULL,
    shift            TEXT NOT NULL,
    hours_planned    REAL NOT NULL,
    hours_worked     REAL NOT NULL,
    hours_diverted   REAL NOT NULL,
    diversion_reason TEXT NOT NULL,
    notes            TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    UNIQUE (crossing, day, shift)
);

CREATE TABLE exit_counts (
    id           TEXT PRIMARY KEY,
    crossing     TEXT NOT NULL REFERENCES crossings (code),
    day          TEXT NOT NULL,
    modality     TEXT NOT NULL,
    count        INTEGER NOT NULL,
    estimated    INTEGER NOT NULL,
    method       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (crossing, day, modality)
);

CREATE TABLE bts_volumes (
    port_code TEXT NOT NULL REFERENCES ports (code),
    month     TEXT NOT NULL,
    measure   TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (port_code, month, measure)
);
