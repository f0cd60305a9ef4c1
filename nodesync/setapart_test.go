package nodesync_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/outbound-oss/outbound/web"
)

// laneInspection is a valid no-finding inspection at Laredo.
func laneInspection(started time.Time) outbound.Inspection {
	id, _ := uuid.NewV7()
	return outbound.Inspection{ID: id, Crossing: "2304", StartedAt: started, EndedAt: started.Add(10 * time.Minute),
		Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.Routine,
		Officers: []string{"B1234", "B5678"}, Outcome: outbound.NoFinding}
}

// refusePoison makes headquarters' database refuse an inspection whose
// notes are "poison": a rule only headquarters has, which no validation
// at the node knows of.
func refusePoison(t *testing.T, db *sqldb.DB) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_poison BEFORE INSERT ON inspections WHEN NEW.notes = 'poison'
		BEGIN SELECT RAISE(ABORT, 'poison refused at headquarters'); END`}
	if db.Dialect() == "postgres" {
		stmts = []string{`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.notes = 'poison' THEN
					RAISE EXCEPTION 'poison refused at headquarters' USING ERRCODE = 'check_violation';
				END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER refuse_poison BEFORE INSERT ON inspections FOR EACH ROW EXECUTE FUNCTION refuse_poison()`}
	}
	for _, q := range stmts {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// A port node records 1,000 good inspections and poisoned ones while
// headquarters is down: one headquarters' database refuses, one from a
// node clock days ahead (headquarters refuses it as from the future), and
// on PostgreSQL one with a NUL byte, unless the node already refuses that
// itself. When headquarters comes up, one round stores all 1,000, sets the
// poisoned ones apart at the node with headquarters' reasons, and leaves
// nothing queued; the node's status and headquarters' node list name
// them. A supervisor then corrects one (an edit at the node, which
// arrives at headquarters as a new inspection) and discards another, and
// both audit logs verify.
func TestPoisonedRecordsAreSetApart(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		ctx := testdb.System
		hq := testdb.Open(t, dsn, testdb.Laredo)
		refusePoison(t, hq)
		if _, err := hq.AddUser(ctx, outbound.User{Name: "node-2304", Role: outbound.Node, Crossings: []string{"2304"}}); err != nil {
			t.Fatal(err)
		}
		_, token, err := hq.CreateToken(ctx, "node-2304", "", nil, time.Hour)
		if err != nil {
			t.Fatal(err)
		}

		// Offline: headquarters is not up yet.
		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		now := time.Now().UTC().Add(-2 * time.Hour)
		var good []outbound.Inspection
		for i := range 1000 {
			good = append(good, laneInspection(now.Add(-time.Duration(i)*time.Minute)))
		}
		poisoned := laneInspection(now)
		poisoned.Notes = "poison"
		future := laneInspection(time.Now().Add(60 * time.Hour))
		mustRecordAt(t, node, good[:400]...)
		mustRecordAt(t, node, poisoned)
		mustRecordAt(t, node, good[400:800]...)
		node.Now = func() time.Time { return time.Now().Add(72 * time.Hour) } // a node clock days ahead
		mustRecordAt(t, node, future)
		node.Now = time.Now
		want := map[uuid.UUID]string{poisoned.ID: "poison refused at headquarters", future.ID: "in the future"}
		if hq.Dialect() == "postgres" {
			nul := laneInspection(now.Add(time.Minute))
			nul.Notes = "lane 3\x00"
			res, err := node.RecordInspections(ctx, []outbound.Inspection{nul})
			switch {
			case err != nil:
				t.Fatal(err)
			case res[0].Status == outbound.Created:
				want[nul.ID] = "" // PostgreSQL refuses it; any reason will do
			case res[0].Status != outbound.Invalid:
				t.Fatalf("a NUL byte at the node: %s", res[0].Status)
			}
		}
		mustRecordAt(t, node, good[800:]...)

		// Headquarters comes up.
		schema, _ := hq.SchemaVersion(context.Background())
		srv := httptest.NewServer((&web.Server{Crossings: hq, Inspections: hq, Staffing: hq, Exits: hq, Surveys: hq,
			Lanes: hq, Funding: hq, Accounts: hq, Audit: hq, Sync: hq, Ping: hq.Ping}).Handler())
		defer srv.Close()
		c := client.New(srv.URL, token)
		c.Schema = schema
		s := &nodesync.Syncer{DB: node, Upstream: c, Batch: 300}
		rep, err := s.Round(context.Background())
		if err != nil || rep.Pending != 0 || rep.SetApart != len(want) || rep.Pushed != 1000 {
			t.Fatalf("round: %+v, %v; want 1,000 pushed, %d set apart, nothing pending", rep, err, len(want))
		}
		for _, in := range good {
			if _, err := hq.FindInspection(ctx, in.ID); err != nil {
				t.Fatalf("good inspection %s at headquarters: %v", in.ID, err)
			}
		}
		if n := countInspections(t, hq); n != 1000 {
			t.Fatalf("headquarters holds %d inspections; want the 1,000 good ones", n)
		}

		// The node names each, with headquarters' reason.
		local, err := s.Local(ctx, "2304")
		if err != nil || local.QueueDepth != 0 || local.LastError != "" {
			t.Fatalf("local sync: %+v, %v", local, err)
		}
		if len(local.SetApart) != len(want) {
			t.Fatalf("set apart at the node: %+v; want %d", local.SetApart, len(want))
		}
		for _, sa := range local.SetApart {
			reason, ok := want[sa.ID]
			if !ok || sa.Kind != "inspection" || sa.Crossing != "2304" || !strings.Contains(sa.Reason, reason) || sa.Reason == "" {
				t.Errorf("set apart: %+v; want one of %v with its reason", sa, want)
			}
		}
		nodes, err := hq.FindNodes(ctx, time.Hour)
		if err != nil || len(nodes) != 1 || nodes[0].SetApartCount != int64(len(want)) || len(nodes[0].SetApart) != len(want) ||
			nodes[0].QueueDepth != 0 {
			t.Fatalf("headquarters' node list: %+v, %v; want %d set apart, named", nodes, err, len(want))
		}

		// Nothing is sent again.
		if rep, err := s.Round(context.Background()); err != nil || rep.Pushed != 0 || rep.SetApart != 0 {
			t.Fatalf("second round: %+v, %v", rep, err)
		}

		// A supervisor corrects the poisoned one with an edit at the node,
		// and discards the one from the future.
		sup := outbound.WithActor(context.Background(), &outbound.Actor{Name: "sam", Role: outbound.Supervisor, Crossings: []string{"2304"}})
		fixedID, _ := uuid.NewV7()
		fixed := poisoned.VersionAfter(poisoned.ID, fixedID, "headquarters refused the notes")
		fixed.Notes = "lane 3"
		mustRecordAt(t, node, fixed)
		if _, err := node.ResolveSetApart(sup, outbound.SetApartResolution{Kind: "inspection", ID: poisoned.ID,
			Resolution: outbound.Corrected, CorrectedBy: &fixedID, Note: "notes fixed"}); err != nil {
			t.Fatal(err)
		}
		if _, err := node.ResolveSetApart(sup, outbound.SetApartResolution{Kind: "inspection", ID: future.ID,
			Resolution: outbound.Discarded, Note: "the tablet's clock was wrong"}); err != nil {
			t.Fatal(err)
		}
		if _, err := node.ResolveSetApart(sup, outbound.SetApartResolution{Kind: "inspection", ID: future.ID,
			Resolution: outbound.Discarded, Note: "again"}); outbound.ErrorCode(err) != outbound.ECONFLICT {
			t.Errorf("discarding twice: %v; want a conflict", err)
		}
		rep, err = s.Round(context.Background())
		if err != nil || rep.Pushed != 1 || rep.SetApart != 0 {
			t.Fatalf("round after the correction: %+v, %v", rep, err)
		}
		got, err := hq.FindInspection(ctx, fixedID)
		if err != nil || got.Replaces != nil || got.Notes != "lane 3" || got.Version != 1 {
			t.Fatalf("the correction at headquarters: %+v, %v; want a first version with the fixed notes", got, err)
		}
		local, _ = s.Local(ctx, "2304")
		if len(local.SetApart) != len(want)-2 {
			t.Errorf("still set apart: %+v; want the two resolved ones gone", local.SetApart)
		}
		all, err := node.FindSetApart(ctx, true)
		if err != nil || len(all) != len(want) {
			t.Fatalf("all set apart: %+v, %v", all, err)
		}
		for _, db := range []*sqldb.DB{node, hq} {
			if v, err := db.VerifyAudit(ctx, nil, nil); err != nil || !v.OK() {
				t.Errorf("audit verify: %+v, %v", v, err)
			}
		}
		// A set-apart record altered behind the application's back is found.
		if _, err := node.SQL().Exec(`UPDATE sync_set_apart SET reason = 'nothing happened'`); err != nil {
			t.Fatal(err)
		}
		if v, err := node.VerifyAudit(ctx, nil, nil); err != nil || v.OK() {
			t.Errorf("audit verify after altering a set-apart record: %+v, %v; want problems", v, err)
		}
	})
}

func mustRecordAt(t *testing.T, db *sqldb.DB, batch ...outbound.Inspection) {
	t.Helper()
	res, err := db.RecordInspections(testdb.System, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != outbound.Created {
			t.Fatalf("record at the node: %s %v", r.Status, r.Err)
		}
	}
}

func countInspections(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM inspections`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
