-- Planning documents (the gap standard, the cost catalogue): every
-- published version as its YAML source; the latest of a kind is in force.
CREATE TABLE plan_documents (
    kind         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (kind, version)
);
