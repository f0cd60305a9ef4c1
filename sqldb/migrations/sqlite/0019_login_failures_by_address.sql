-- Failed sign-ins are counted per account and client address, so that
-- guesses from one address lock that address out of the account and no
-- one else. The counts are operational state, not a record: they start
-- afresh.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    name         TEXT NOT NULL,
    addr         TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (name, addr)
);
