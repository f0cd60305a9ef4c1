-- Port node sync: what headquarters knows of each node, the records nodes
-- pushed that collided (kept for a supervisor), and each side's cursors.
CREATE TABLE nodes (
    name            text PRIMARY KEY,
    crossing        text NOT NULL,
    version         text NOT NULL,
    schema_version  bigint NOT NULL,
    queue_depth     bigint NOT NULL,
    last_error      text NOT NULL,
    last_sync_at    timestamptz NOT NULL,
    last_success_at timestamptz
);

CREATE TABLE sync_conflicts (
    kind        text NOT NULL,
    id          text NOT NULL,
    node        text NOT NULL,
    crossing    text NOT NULL,
    reason      text NOT NULL,
    record      text NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (kind, id, node)
);

CREATE TABLE sync_state (
    key   text PRIMARY KEY,
    value text NOT NULL
);
