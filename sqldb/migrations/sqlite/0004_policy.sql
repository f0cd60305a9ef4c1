-- Policy: the field office of each crossing (a policy scope), and every
-- published policy document as its YAML source.
ALTER TABLE crossings ADD COLUMN field_office TEXT NOT NULL DEFAULT '';

CREATE TABLE policies (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    effective    TEXT NOT NULL,
    source       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
);
