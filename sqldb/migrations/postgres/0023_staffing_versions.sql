-- A staffing record is edited as inspections are: a new version, with its
-- own id, that names the version it replaces and gives a reason. Only a
-- first version holds its crossing, day and shift (one a shift); a version
-- is replaced once, so a stale edit collides on the unique index on
-- replaces, and the database, not a check, refuses it. Who recorded each
-- version is kept with it ('' for records from before).
ALTER TABLE staffing ADD COLUMN replaces uuid REFERENCES staffing (id);
ALTER TABLE staffing ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE staffing ADD COLUMN recorded_by text NOT NULL DEFAULT '';
ALTER TABLE staffing DROP CONSTRAINT staffing_crossing_day_shift_key;
CREATE UNIQUE INDEX staffing_shift ON staffing (crossing, day, shift) WHERE replaces IS NULL;
CREATE UNIQUE INDEX staffing_replaces ON staffing (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX staffing_day ON staffing (day, crossing);
