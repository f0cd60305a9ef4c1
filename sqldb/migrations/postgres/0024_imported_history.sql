-- Historical inspections brought in from a port's own logs (`outbound
-- import inspections`): one row per import run that stored anything, and
-- each imported inspection names its run. Recorded inspections name none.
CREATE TABLE imports (
    id          uuid PRIMARY KEY,
    file        text NOT NULL,
    sha256      text NOT NULL,
    imported_by text NOT NULL,
    imported_at timestamptz NOT NULL
);
ALTER TABLE inspections ADD COLUMN import_id uuid REFERENCES imports (id);

-- The rollups keep recorded and imported inspections apart (source), so
-- that a report can show either or both; every row so far is recorded.
ALTER TABLE inspection_rollup ADD COLUMN source text NOT NULL DEFAULT 'recorded' CHECK (source IN ('recorded', 'imported'));
ALTER TABLE inspection_rollup DROP CONSTRAINT inspection_rollup_pkey;
ALTER TABLE inspection_rollup ADD PRIMARY KEY (crossing, day, dim, value, source);
ALTER TABLE inspection_rollup_month ADD COLUMN source text NOT NULL DEFAULT 'recorded' CHECK (source IN ('recorded', 'imported'));
ALTER TABLE inspection_rollup_month DROP CONSTRAINT inspection_rollup_month_pkey;
ALTER TABLE inspection_rollup_month ADD PRIMARY KEY (crossing, month, dim, value, source);
