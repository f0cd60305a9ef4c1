-- The outbound funding line: allocations, obligations and spending per
-- fiscal year, crossing and category. A correction is a new entry.
CREATE TABLE funding (
    id           TEXT PRIMARY KEY,
    fiscal_year  INTEGER NOT NULL,
    crossing     TEXT NOT NULL,
    category     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    amount_usd   double precision NOT NULL,
    note         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX funding_year ON funding (fiscal_year, crossing);
