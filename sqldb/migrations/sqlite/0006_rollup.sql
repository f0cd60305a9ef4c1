-- Daily rollups of current, unvoided inspections, kept in the same
-- transaction as every write, edit and void: reports read these, never the
-- raw table. dim is all, modality, technique, trigger, outcome, shift,
-- category (seizures by category) or category_unit ("narcotics|kg", whose
-- quantity is summed); value is the dimension's value ('' for all).
-- Inspections recorded before this migration are rolled up by Migrate.
CREATE TABLE inspection_rollup (
    crossing        TEXT NOT NULL,
    day             TEXT NOT NULL,
    dim             TEXT NOT NULL,
    value           TEXT NOT NULL,
    inspections     INTEGER NOT NULL,
    seizures        INTEGER NOT NULL,
    value_usd       REAL NOT NULL,
    quantity        REAL NOT NULL DEFAULT 0,
    officer_minutes REAL NOT NULL,
    PRIMARY KEY (crossing, day, dim, value)
);
CREATE INDEX inspection_rollup_dim_day ON inspection_rollup (dim, day);

