-- SQLite clusters its daily rollups on (dim, day, crossing, value) here;
-- PostgreSQL has no clustered tables, so each crossing-day's totals get a
-- partial covering index in day order instead (the "all" rows, one per
-- crossing and day), read by index-only scans for trends and calendars.
CREATE INDEX inspection_rollup_all_day ON inspection_rollup (day, crossing) INCLUDE (value, inspections, seizures, value_usd, officer_minutes, quantity) WHERE dim = 'all';
