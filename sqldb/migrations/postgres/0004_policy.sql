-- Policy: the field office of each crossing (a policy scope), and every
-- published policy document as its YAML source.
ALTER TABLE crossings ADD COLUMN field_office text NOT NULL DEFAULT '';

CREATE TABLE policies (
    id           text PRIMARY KEY,
    kind         text NOT NULL,
    effective    text NOT NULL,
    source       text NOT NULL,
    published_at timestamptz NOT NULL,
    published_by text NOT NULL
);
