-- Surveys of each crossing's outbound infrastructure, equipment,
-- connectivity and power. Every survey is kept (a correction is a new
-- one); the answers are the survey's JSON, as the client sent it.
CREATE TABLE surveys (
    id           TEXT PRIMARY KEY,
    crossing     TEXT NOT NULL,
    day          TEXT NOT NULL,
    answers      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX surveys_crossing_day ON surveys (crossing, day);
