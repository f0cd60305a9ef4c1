-- A crossing's inspections newest first: the lists (API and the crossing
-- page) walk this index backwards and stop at a page, instead of sorting
-- every inspection of the period.
CREATE INDEX IF NOT EXISTS inspections_crossing_started ON inspections (crossing, started_at, id);
