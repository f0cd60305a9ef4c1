-- Failed sign-ins are counted per account and client address, so that
-- guesses from one address lock that address out of the account and no
-- one else. The counts are operational state, not a record: they start
-- afresh.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    name         text NOT NULL,
    addr         text NOT NULL,
    failures     bigint NOT NULL,
    locked_until timestamptz,
    PRIMARY KEY (name, addr)
);
