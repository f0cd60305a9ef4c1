-- A port node sets apart a record headquarters refused, with the reason,
-- so that its queue moves on; a supervisor then corrects it (names the
-- record that corrects it) or discards it, with a note.
CREATE TABLE sync_set_apart (
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    crossing     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    set_apart_at TEXT NOT NULL,
    resolution   TEXT NOT NULL DEFAULT '',
    corrected_by TEXT NOT NULL DEFAULT '',
    resolved_by  TEXT NOT NULL DEFAULT '',
    resolved_at  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, id)
);

-- What headquarters knows of each node's set-apart records, from its
-- reports: how many are open, and the first of them as JSON.
ALTER TABLE nodes ADD COLUMN set_apart_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN set_apart TEXT NOT NULL DEFAULT '[]';
