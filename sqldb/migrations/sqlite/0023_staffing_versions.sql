-- A staffing record is edited as inspections are: a new version, with its
-- own id, that names the version it replaces and gives a reason. Only a
-- first version holds its crossing, day and shift (one a shift); a version
-- is replaced once, so a stale edit collides on the unique index on
-- replaces, and the database, not a check, refuses it. Who recorded each
-- version is kept with it ('' for records from before).
-- SQLite cannot drop the table's UNIQUE (crossing, day, shift), so the
-- table is made again with its rows.
CREATE TABLE staffing_versions (
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
    replaces         TEXT REFERENCES staffing_versions (id),
    reason           TEXT NOT NULL DEFAULT '',
    recorded_by      TEXT NOT NULL DEFAULT ''
);
INSERT INTO staffing_versions (id, crossing, day, shift, hours_planned, hours_worked, hours_diverted,
    diversion_reason, notes, received_at, content_hash)
SELECT id, crossing, day, shift, hours_planned, hours_worked, hours_diverted,
    diversion_reason, notes, received_at, content_hash FROM staffing;
DROP TABLE staffing;
ALTER TABLE staffing_versions RENAME TO staffing;
CREATE UNIQUE INDEX staffing_shift ON staffing (crossing, day, shift) WHERE replaces IS NULL;
CREATE UNIQUE INDEX staffing_replaces ON staffing (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX staffing_day ON staffing (day, crossing);
