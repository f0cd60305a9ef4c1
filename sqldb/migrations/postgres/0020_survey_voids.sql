-- A survey made in error is voided by another survey record that names
-- it. The column is the record (as the survey's id, crossing and day are);
-- the unique index lets the database, not a check, refuse a second void
-- of the same survey.
ALTER TABLE surveys ADD COLUMN voids TEXT;
CREATE UNIQUE INDEX surveys_voids ON surveys (voids) WHERE voids IS NOT NULL;
