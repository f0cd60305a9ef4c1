-- One crossing's days (its page's calendar, trend and policy checks) are
-- read from its "all" rows. The daily rollups are clustered by dimension
-- and day (migration 0016), so a year of one crossing's was one row in
-- 167 of every crossing's, 61,000 rows read at national scale; in
-- crossing order, with every column those reads take, it is 365.
-- PostgreSQL gets the same index, and covering indexes in the order of
-- SQLite's tables (see its migration of the same number).
CREATE INDEX inspection_rollup_crossing_all ON inspection_rollup (crossing, day, value, source, inspections, seizures, value_usd, officer_minutes, quantity)
    WHERE dim = 'all';
