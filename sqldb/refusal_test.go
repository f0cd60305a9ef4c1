package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// refuseNotes makes the database itself refuse an inspection whose notes
// are "poison", as a column's range or an encoding would: a refusal no
// validation in Go foresees, on either database.
func refuseNotes(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if db.Dialect() == "postgres" {
		mustExec(t, db, `CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.notes = 'poison' THEN
					RAISE EXCEPTION 'poison refused' USING ERRCODE = 'check_violation';
				END IF;
				RETURN NEW;
			END $$`)
		mustExec(t, db, `CREATE TRIGGER refuse_poison BEFORE INSERT ON inspections FOR EACH ROW EXECUTE FUNCTION refuse_poison()`)
		return
	}
	mustExec(t, db, `CREATE TRIGGER refuse_poison BEFORE INSERT ON inspections WHEN NEW.notes = 'poison'
		BEGIN SELECT RAISE(ABORT, 'poison refused'); END`)
}

// A record the database refuses is that record's invalid result: the rest
// of its batch is stored, the answer is no internal error, and the audit
// log holds exactly what was stored.
func TestDatabaseRefusalIsOneItemsInvalid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		refuseNotes(t, db)
		start := time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)
		batch := []outbound.Inspection{inspection(start), inspection(start.Add(time.Hour)), inspection(start.Add(2 * time.Hour)),
			inspection(start.Add(3 * time.Hour)), inspection(start.Add(4 * time.Hour))}
		batch[1].Notes = "poison"
		batch[3].Notes = "poison"
		batch[4].Reason = "not an edit" // refused by validation, in the same batch
		batch[2].Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 100, Unit: "USD", ValueUSD: 100}}
		batch[2].Outcome = outbound.Seized
		res := mustRecord(t, db, batch...)
		want := []outbound.Status{outbound.Created, outbound.Invalid, outbound.Created, outbound.Invalid, outbound.Invalid}
		for i, r := range res {
			if r.Status != want[i] {
				t.Fatalf("item %d: %s %+v; want %s", i, r.Status, r.Err, want[i])
			}
		}
		if e := res[1].Err; e == nil || e.Code != outbound.EINVALID || !strings.Contains(e.Message, "poison refused") {
			t.Errorf("the refused item's error = %+v; want invalid, with the database's reason", e)
		}
		list, _, err := db.FindInspections(testdb.System, outbound.InspectionFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("stored %d inspections, %v; want the two good ones", len(list), err)
		}
		// The same batch again: replays for the good ones, the poisoned one
		// refused again, nothing stored twice.
		res = mustRecord(t, db, batch...)
		if res[0].Status != outbound.Replayed || res[1].Status != outbound.Invalid || res[2].Status != outbound.Replayed || res[3].Status != outbound.Invalid {
			t.Errorf("again: %s %s %s %s; want replayed invalid replayed invalid", res[0].Status, res[1].Status, res[2].Status, res[3].Status)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Errorf("audit verify: %+v, %v", rep, err)
		}
	})
}

// PostgreSQL refuses a NUL byte in text. Whether validation refuses it
// first or the database does, the item is invalid and the rest is stored.
func TestNULByteIsOneItemsInvalid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)
		batch := []outbound.Inspection{inspection(start), inspection(start.Add(time.Hour))}
		batch[0].Notes = "a\x00b"
		batch[1].Officers = []string{"B1234", "B\x005678"}
		badCrossing := inspection(start.Add(3 * time.Hour))
		badCrossing.Crossing = "23\x0004"
		batch = append(batch, badCrossing)
		good := inspection(start.Add(2 * time.Hour))
		batch = append(batch, good)
		res := mustRecord(t, db, batch...)
		if db.Dialect() == "postgres" {
			if res[0].Status != outbound.Invalid || res[1].Status != outbound.Invalid {
				t.Errorf("NUL bytes: %s %+v, %s %+v; want invalid", res[0].Status, res[0].Err, res[1].Status, res[1].Err)
			}
		}
		if res[2].Status != outbound.Invalid {
			t.Errorf("a crossing code with a NUL byte: %s %+v; want invalid", res[2].Status, res[2].Err)
		}
		if res[3].Status != outbound.Created {
			t.Fatalf("the good item: %s %+v", res[3].Status, res[3].Err)
		}
		if _, err := db.FindInspection(testdb.System, good.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// A node's queue depth is never negative: a report saying so is refused,
// and a row an earlier version stored negative reads as 0.
func TestQueueDepthIsNeverNegative(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		node := outbound.WithActor(testdb.System, &outbound.Actor{Name: "node-2304", Role: outbound.Node, Crossings: []string{"2304"}})
		err := db.ReportNode(node, outbound.NodeStatus{Version: "v", QueueDepth: -1})
		if outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) != "queue_depth" {
			t.Fatalf("a negative queue depth: %v; want invalid naming queue_depth", err)
		}
		if err := db.ReportNode(node, outbound.NodeStatus{Version: "v", QueueDepth: 3}); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `UPDATE nodes SET queue_depth = -5`) // as an earlier version could store it
		nodes, err := db.FindNodes(testdb.System, time.Hour)
		if err != nil || len(nodes) != 1 || nodes[0].QueueDepth != 0 {
			t.Fatalf("nodes: %+v, %v; want queue depth 0", nodes, err)
		}
	})
}
