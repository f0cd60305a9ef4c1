-- SQLite stores the monthly rollups clustered on (dim, month, crossing,
-- value) from this migration on; PostgreSQL reads them through its
-- (dim, month) index well enough (docs/benchmarks.md), so nothing changes
-- here but the version.
SELECT 1;
