-- Monthly rollups beside the daily ones, kept by the same writes: a report
-- over a year reads twelve months per crossing and value, and daily rows
-- only for the partial months at its edges. days has bit d-1 set when day
-- d of the month has a row of that value with inspections: coverage counts
-- days from it. Migrate fills it.
CREATE TABLE inspection_rollup_month (
    crossing        text NOT NULL,
    month           text NOT NULL,
    dim             text NOT NULL,
    value           text NOT NULL,
    inspections     bigint NOT NULL,
    seizures        bigint NOT NULL,
    value_usd       double precision NOT NULL,
    quantity        double precision NOT NULL DEFAULT 0,
    officer_minutes double precision NOT NULL,
    days            bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (crossing, month, dim, value)
);
CREATE INDEX inspection_rollup_month_dim ON inspection_rollup_month (dim, month);
