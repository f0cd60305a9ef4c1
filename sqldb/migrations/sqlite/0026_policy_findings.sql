-- The policy check of a crossing's inspections, kept per crossing and
-- local day (sqldb/findings.go), so that the crossing page reads what it
-- found instead of checking every inspection of its period again. A row is
-- valid while its epoch equals findings_epoch's: the triggers below move
-- the epoch on every change to what a check reads besides the inspections
-- (policies, training, crossings, ports), and every write of a day's
-- inspections marks that day's row stale (epoch -1) and moves its gen, so
-- that a check computed before the write cannot be stored over it.
CREATE TABLE policy_findings_day (
    crossing TEXT NOT NULL,
    day      TEXT NOT NULL,
    gen      INTEGER NOT NULL DEFAULT 0,
    epoch    INTEGER NOT NULL DEFAULT -1,
    findings TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (crossing, day)
) WITHOUT ROWID;

CREATE TABLE findings_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO findings_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER findings_epoch_policies_insert AFTER INSERT ON policies BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_policies_update AFTER UPDATE ON policies BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_policies_delete AFTER DELETE ON policies BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_training_insert AFTER INSERT ON training BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_training_update AFTER UPDATE ON training BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_training_delete AFTER DELETE ON training BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_crossings_insert AFTER INSERT ON crossings BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_crossings_update AFTER UPDATE ON crossings BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_crossings_delete AFTER DELETE ON crossings BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_ports_insert AFTER INSERT ON ports BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_ports_update AFTER UPDATE ON ports BEGIN UPDATE findings_epoch SET n = n + 1; END;
CREATE TRIGGER findings_epoch_ports_delete AFTER DELETE ON ports BEGIN UPDATE findings_epoch SET n = n + 1; END;
