-- The policy check of a crossing's inspections, kept per crossing and
-- local day (sqldb/findings.go), so that the crossing page reads what it
-- found instead of checking every inspection of its period again. A row is
-- valid while its epoch equals findings_epoch's: the triggers below move
-- the epoch on every change to what a check reads besides the inspections
-- (policies, training, crossings, ports), and every write of a day's
-- inspections marks that day's row stale (epoch -1) and moves its gen, so
-- that a check computed before the write cannot be stored over it.
CREATE TABLE policy_findings_day (
    crossing text NOT NULL,
    day      text NOT NULL,
    gen      bigint NOT NULL DEFAULT 0,
    epoch    bigint NOT NULL DEFAULT -1,
    findings text NOT NULL DEFAULT '[]',
    PRIMARY KEY (crossing, day)
);

CREATE TABLE findings_epoch (
    id integer PRIMARY KEY CHECK (id = 1),
    n  bigint NOT NULL
);
INSERT INTO findings_epoch (id, n) VALUES (1, 0);

CREATE FUNCTION findings_epoch_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE findings_epoch SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER findings_epoch_policies AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policies FOR EACH STATEMENT EXECUTE FUNCTION findings_epoch_move();
CREATE TRIGGER findings_epoch_training AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON training FOR EACH STATEMENT EXECUTE FUNCTION findings_epoch_move();
CREATE TRIGGER findings_epoch_crossings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON crossings FOR EACH STATEMENT EXECUTE FUNCTION findings_epoch_move();
CREATE TRIGGER findings_epoch_ports AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ports FOR EACH STATEMENT EXECUTE FUNCTION findings_epoch_move();
