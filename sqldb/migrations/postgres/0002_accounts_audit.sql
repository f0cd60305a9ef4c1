-- Accounts (users, API tokens, sessions) and the audit log: a hash chain
-- of every write (each entry's hash covers the previous entry's), its
-- head, and signed checkpoints of the head.
CREATE TABLE users (
    name          text PRIMARY KEY,
    role          text NOT NULL,
    crossings     text NOT NULL,
    password_hash text NOT NULL,
    must_change   boolean NOT NULL,
    disabled      boolean NOT NULL,
    created_at    timestamptz NOT NULL
);

-- Failed sign-ins are operational state, not part of the audited record.
CREATE TABLE login_failures (
    name         text PRIMARY KEY,
    failures     bigint NOT NULL,
    locked_until timestamptz
);

CREATE TABLE tokens (
    id          text PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users (name),
    secret_hash text NOT NULL UNIQUE,
    label       text NOT NULL,
    crossings   text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE TABLE sessions (
    secret_hash text PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users (name),
    csrf        text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE TABLE audit_log (
    seq           bigint PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text NOT NULL,
    role          text NOT NULL,
    action        text NOT NULL,
    subject       text NOT NULL,
    crossing      text NOT NULL,
    before_digest text NOT NULL,
    after_digest  text NOT NULL,
    hash          text NOT NULL
);

CREATE TABLE audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_checkpoints (
    seq        bigint PRIMARY KEY,
    hash       text NOT NULL,
    at         timestamptz NOT NULL,
    public_key text NOT NULL,
    signature  text NOT NULL
);
