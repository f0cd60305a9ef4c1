-- Published schedules of outbound operations, one row per publication and
-- crossing: the shifts with an operation, as "YYYY-MM-DD shift" items
-- joined by commas. A later publication for the same days replaces an
-- earlier one; both are kept.
CREATE TABLE schedules (
    id             TEXT NOT NULL,
    crossing       TEXT NOT NULL,
    from_day       TEXT NOT NULL,
    to_day         TEXT NOT NULL,
    operations     TEXT NOT NULL,
    attacker_value double precision NOT NULL,
    published_at   TEXT NOT NULL,
    published_by   TEXT NOT NULL,
    PRIMARY KEY (id, crossing)
);
CREATE INDEX schedules_crossing_days ON schedules (crossing, to_day);
