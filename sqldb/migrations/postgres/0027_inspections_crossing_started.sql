-- Nothing for PostgreSQL: it has had this index since migration 0017;
-- SQLite gets it now (see the SQLite migration of the same number).
SELECT 1;
