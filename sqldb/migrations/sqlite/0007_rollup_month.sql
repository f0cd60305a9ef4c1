-- Monthly rollups beside the daily ones, kept by the same writes: a report
-- over a year reads twelve months per crossing and value, and daily rows
-- only for the partial months at its edges. days has bit d-1 set when day
-- d of the month has a row of that value with inspections: coverage counts
-- days from it. Migrate fills it.
CREATE TABLE inspection_rollup_month (
    crossing        TEXT NOT NULL,
    month           TEXT NOT NULL,
    dim             TEXT NOT NULL,
    value           TEXT NOT NULL,
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    days            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (crossing, month, dim, value)
);
CREATE INDEX inspection_rollup_month_dim ON inspection_rollup_month (dim, month);
