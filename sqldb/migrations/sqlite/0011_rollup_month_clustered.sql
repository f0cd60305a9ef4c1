-- The monthly rollups, stored in the order reports read them: one
-- dimension over a range of months, every crossing. As a rowid table with
-- a (dim, month) index each row read was a jump into the table; clustered
-- on its key (WITHOUT ROWID) a year of a dimension is one range of pages.
CREATE TABLE inspection_rollup_month_clustered (
    dim             TEXT NOT NULL,
    month           TEXT NOT NULL,
    crossing        TEXT NOT NULL,
    value           TEXT NOT NULL,
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    days            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, month, crossing, value)
) WITHOUT ROWID;
INSERT INTO inspection_rollup_month_clustered (dim, month, crossing, value, inspections, seizures, value_usd, quantity, officer_minutes, days)
    SELECT dim, month, crossing, value, inspections, seizures, value_usd, quantity, officer_minutes, days FROM inspection_rollup_month;
DROP TABLE inspection_rollup_month;
ALTER TABLE inspection_rollup_month_clustered RENAME TO inspection_rollup_month;
