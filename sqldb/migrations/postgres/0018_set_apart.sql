-- A port node sets apart a record headquarters refused, with the reason,
-- so that its queue moves on; a supervisor then corrects it (names the
-- record that corrects it) or discards it, with a note.
CREATE TABLE sync_set_apart (
    kind         text NOT NULL,
    id           text NOT NULL,
    seq          bigint NOT NULL,
    crossing     text NOT NULL,
    reason       text NOT NULL,
    set_apart_at timestamptz NOT NULL,
    resolution   text NOT NULL DEFAULT '',
    corrected_by text NOT NULL DEFAULT '',
    resolved_by  text NOT NULL DEFAULT '',
    resolved_at  text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT '',
    PRIMARY KEY (kind, id)
);

-- What headquarters knows of each node's set-apart records, from its
-- reports: how many are open, and the first of them as JSON.
ALTER TABLE nodes ADD COLUMN set_apart_count bigint NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN set_apart text NOT NULL DEFAULT '[]';
