-- The record: ports and crossings, inspections (every version), seizures,
-- staffing, exit counts and BTS inbound volumes. Days are 'YYYY-MM-DD' text
-- so that both dialects share one set of queries.
CREATE TABLE ports (
    code      text PRIMARY KEY,
    name      text NOT NULL,
    state     text NOT NULL,
    border    text NOT NULL CHECK (border IN ('southwest', 'northern')),
    latitude  double precision,
    longitude double precision,
    time_zone text NOT NULL,
    source    text NOT NULL
);

CREATE TABLE crossings (
    code       text PRIMARY KEY,
    port_code  text NOT NULL REFERENCES ports (code),
    name       text NOT NULL,
    latitude   double precision,
    longitude  double precision,
    modalities text NOT NULL,
    source     text NOT NULL
);
CREATE INDEX crossings_port ON crossings (port_code);

CREATE TABLE inspections (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    original_id   uuid NOT NULL,
    version       integer NOT NULL,
    replaces      uuid UNIQUE REFERENCES inspections (id),
    reason        text NOT NULL,
    voided        boolean NOT NULL,
    crossing      text NOT NULL REFERENCES crossings (code),
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    local_day     text NOT NULL,
    modality      text NOT NULL,
    techniques    text NOT NULL,
    trigger       text NOT NULL,
    operation_id  text,
    officers      text NOT NULL,
    officer_count integer NOT NULL,
    outcome       text NOT NULL,
    notes         text NOT NULL,
    content_hash  text NOT NULL,
    UNIQUE (original_id, version)
);
CREATE INDEX inspections_crossing_day ON inspections (crossing, local_day);
CREATE INDEX inspections_started ON inspections (started_at, id);

CREATE TABLE seizures (
    inspection_id uuid NOT NULL REFERENCES inspections (id),
    n             integer NOT NULL,
    category      text NOT NULL,
    quantity      double precision NOT NULL,
    unit          text NOT NULL,
    value_usd     double precision NOT NULL,
    PRIMARY KEY (inspection_id, n)
);

CREATE TABLE staffing (
    id               uuid PRIMARY KEY,
    crossing         text NOT NULL REFERENCES crossings (code),
    day              text NOT NULL,
    shift            text NOT NULL,
    hours_planned    double precision NOT NULL,
    hours_worked     double precision NOT NULL,
    hours_diverted   double precision NOT NULL,
    diversion_reason text NOT NULL,
    notes            text NOT NULL,
    received_at      timestamptz NOT NULL,
    content_hash     text NOT NULL,
    UNIQUE (crossing, day, shift)
);

CREATE TABLE exit_counts (
    id           uuid PRIMARY KEY,
    crossing     text NOT NULL REFERENCES crossings (code),
    day          text NOT NULL,
    modality     text NOT NULL,
    count        bigint NOT NULL,
    estimated    boolean NOT NULL,
    method       text NOT NULL,
    received_at  timestamptz NOT NULL,
    content_hash text NOT NULL,
    UNIQUE (crossing, day, modality)
);

CREATE TABLE bts_volumes (
    port_code text NOT NULL REFERENCES ports (code),
    month     text NOT NULL,
    measure   text NOT NULL,
    value     bigint NOT NULL,
    PRIMARY KEY (port_code, month, measure)
);
