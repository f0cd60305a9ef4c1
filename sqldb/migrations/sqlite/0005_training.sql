-- Officers' training: which course each badge completed, when, and until when.
CREATE TABLE training (
    id           TEXT PRIMARY KEY,
    badge        TEXT NOT NULL,
    course       TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (badge, course, completed_on)
);
