-- Officers' training: which course each badge completed, when, and until when.
CREATE TABLE training (
    id           uuid PRIMARY KEY,
    badge        text NOT NULL,
    course       text NOT NULL,
    completed_on text NOT NULL,
    expires_on   text NOT NULL,
    received_at  timestamptz NOT NULL,
    content_hash text NOT NULL,
    UNIQUE (badge, course, completed_on)
);
