-- The daily rollups clustered on (dim, day, crossing, value), as the
-- monthly ones are (0011): reports, trends and calendars read one
-- dimension over a range of days, which is then one ordered range of the
-- table instead of an index walk that visits a table row per entry.
CREATE TABLE inspection_rollup_clustered (
    dim             TEXT NOT NULL,
    day             TEXT NOT NULL,
    crossing        TEXT NOT NULL,
    value           TEXT NOT NULL,
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    PRIMARY KEY (dim, day, crossing, value)
) WITHOUT ROWID;
INSERT INTO inspection_rollup_clustered (dim, day, crossing, value, inspections, seizures, value_usd, quantity, officer_minutes)
    SELECT dim, day, crossing, value, inspections, seizures, value_usd, quantity, officer_minutes FROM inspection_rollup;
DROP TABLE inspection_rollup;
ALTER TABLE inspection_rollup_clustered RENAME TO inspection_rollup;
