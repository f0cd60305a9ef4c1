-- Lane decisions: whether each vehicle leaving through an outbound lane
-- was inspected, with the probability the policy set and the draw that
-- decided it, so that anyone can check both.
CREATE TABLE lane_decisions (
    id           TEXT PRIMARY KEY,
    crossing     TEXT NOT NULL,
    lane         TEXT NOT NULL,
    modality     TEXT NOT NULL,
    score        REAL NOT NULL,
    day          TEXT NOT NULL,
    rule         TEXT NOT NULL,
    probability  REAL NOT NULL,
    draw_value   REAL NOT NULL,
    inspected    BOOLEAN NOT NULL,
    decided_at   TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX lane_decisions_crossing_day ON lane_decisions (crossing, day);
