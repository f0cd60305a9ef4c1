-- Pulse-and-surge operations: crossings as a comma-separated list (an
-- operation spans a few), the officers it brings, and for an
-- intelligence-driven one the reason. Inspections name it in operation_id.
CREATE TABLE operations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    basis      TEXT NOT NULL,
    crossings  TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    officers   INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    planned_at TEXT NOT NULL,
    planned_by TEXT NOT NULL
);
CREATE INDEX inspections_operation ON inspections (operation_id);
