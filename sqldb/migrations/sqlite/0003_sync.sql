-- Port node sync: what headquarters knows of each node, the records nodes
-- pushed that collided (kept for a supervisor), and each side's cursors.
CREATE TABLE nodes (
    name            TEXT PRIMARY KEY,
    crossing        TEXT NOT NULL,
    version         TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    queue_depth     INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    last_sync_at    TEXT NOT NULL,
    last_success_at TEXT
);

CREATE TABLE sync_conflicts (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    node        TEXT NOT NULL,
    crossing    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    record      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (kind, id, node)
);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
