-- A kept sync conflict is resolved by a supervisor: headquarters' record
-- kept, or the node's applied as a new version; who, when and why.
ALTER TABLE sync_conflicts ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_conflicts ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_conflicts ADD COLUMN resolved_at TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_conflicts ADD COLUMN note TEXT NOT NULL DEFAULT '';
