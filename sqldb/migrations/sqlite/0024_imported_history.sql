-- Historical inspections brought in from a port's own logs (`outbound
-- import inspections`): one row per import run that stored anything, and
-- each imported inspection names its run. Recorded inspections name none.
CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
ALTER TABLE inspections ADD COLUMN import_id TEXT REFERENCES imports (id);

-- The rollups keep recorded and imported inspections apart (source), so
-- that a report can show either or both; every row so far is recorded.
CREATE TABLE inspection_rollup_source (
    dim             TEXT NOT NULL,
    day             TEXT NOT NULL,
    crossing        TEXT NOT NULL,
    value           TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT 'recorded' CHECK (source IN ('recorded', 'imported')),
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    PRIMARY KEY (dim, day, crossing, value, source)
) WITHOUT ROWID;
INSERT INTO inspection_rollup_source (dim, day, crossing, value, source, inspections, seizures, value_usd, quantity, officer_minutes)
    SELECT dim, day, crossing, value, 'recorded', inspections, seizures, value_usd, quantity, officer_minutes FROM inspection_rollup;
DROP TABLE inspection_rollup;
ALTER TABLE inspection_rollup_source RENAME TO inspection_rollup;

CREATE TABLE inspection_rollup_month_source (
    dim             TEXT NOT NULL,
    month           TEXT NOT NULL,
    crossing        TEXT NOT NULL,
    value           TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT 'recorded' CHECK (source IN ('recorded', 'imported')),
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    days            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, month, crossing, value, source)
) WITHOUT ROWID;
INSERT INTO inspection_rollup_month_source (dim, month, crossing, value, source, inspections, seizures, value_usd, quantity, officer_minutes, days)
    SELECT dim, month, crossing, value, 'recorded', inspections, seizures, value_usd, quantity, officer_minutes, days FROM inspection_rollup_month;
DROP TABLE inspection_rollup_month;
ALTER TABLE inspection_rollup_month_source RENAME TO inspection_rollup_month;
