-- Accounts (users, API tokens, sessions) and the audit log: a hash chain
-- of every write (each entry's hash covers the previous entry's), its
-- head, and signed checkpoints of the head.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    crossings     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change   INTEGER NOT NULL,
    disabled      INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);

-- Failed sign-ins are operational state, not part of the audited record.
CREATE TABLE login_failures (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT
);

CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name),
    secret_hash TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    crossings   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE sessions (
    secret_hash TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    crossing      TEXT NOT NULL,
    before_digest TEXT NOT NULL,
    after_digest  TEXT NOT NULL,
    hash          TEXT NOT NULL
);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_checkpoints (
    seq        INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL,
    at         TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
);
