package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Operations are planned at random or on intelligence, produce the
// inspections that name them (edits and voids counted as the record
// says), reach their crossings' nodes, and are part of the verified
// record.
func TestPulseAndSurgeOperations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		days := outbound.OperationRequest{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 4}, Officers: 6}
		office := mustUser(t, db, "fo", outbound.FieldOffice, "2304", "3004")
		random := days
		random.Name, random.Basis, random.Count = "spring pulse", outbound.RandomBasis, 1
		seen := map[string]int{}
		for range 20 {
			op, err := db.PlanOperation(office, random)
			if err != nil || len(op.Crossings) != 1 {
				t.Fatalf("a random operation at one crossing: %+v %v", op, err)
			}
			seen[op.Crossings[0]]++
		}
		if len(seen) != 2 {
			t.Errorf("20 random draws of one of two crossings (equal worth, no traffic data) chose %v", seen)
		}
		tip := days
		tip.Name, tip.Basis, tip.Crossings = "tip", outbound.IntelligenceBasis, []string{"2304"}
		if _, err := db.PlanOperation(office, tip); outbound.ErrorCode(err) != outbound.EINVALID {
			t.Fatalf("an intelligence-driven operation without a reason: %v", err)
		}
		tip.Reason = "a tip about currency in pickup trucks"
		officer := mustUser(t, db, "olga", outbound.Officer, "2304")
		if _, err := db.PlanOperation(officer, tip); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer plans: %v", err)
		}
		op, err := db.PlanOperation(office, tip)
		if err != nil {
			t.Fatal(err)
		}

		// Three inspections name it: one is voided, one edited.
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		var batch []outbound.Inspection
		for i := range 3 {
			in := inspection(time.Date(2026, 3, 2, 15+i, 0, 0, 0, time.UTC))
			in.OperationID = &op.ID
			if i == 0 {
				in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{{Category: outbound.Currency, Quantity: 9000, Unit: "USD", ValueUSD: 9000}}
			}
			batch = append(batch, in)
		}
		void := batch[1]
		void.ID, void.Replaces, void.Reason, void.Voided = uuid.New(), &batch[1].ID, "entered twice", true
		edit := batch[2]
		edit.ID, edit.Replaces, edit.Reason, edit.EndedAt = uuid.New(), &batch[2].ID, "ran long", batch[2].StartedAt.Add(time.Hour)
		db.Now = func() time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) }
		recorded, err := db.RecordInspections(sup, append(batch, void, edit))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recorded {
			if r.Status != outbound.Created {
				t.Fatalf("setup: %+v", r)
			}
		}
		res, err := db.OperationResults(sup, op.ID)
		if err != nil || res.Inspections != 2 || res.Seizures != 1 || res.ValueUSD != 9000 || res.OfficerHours != 2*(0.2+1) {
			t.Fatalf("results: %+v %v; want 2 inspections, 1 seizure of 9000, 2.4 officer hours", res, err)
		}
		list, err := db.FindOperations(mustUser(t, db, "bea", outbound.Supervisor, "3004"), days.From, days.To)
		if err != nil || len(list) != seen["3004"] {
			t.Fatalf("Blaine's supervisor sees %d operations, %v; want Blaine's %d", len(list), err, seen["3004"])
		}

		node := mustUser(t, db, "node-2304", outbound.Node, "2304")
		ref, err := db.ReferenceFor(node, 0)
		if err != nil || len(ref.Operations) != seen["2304"]+1 {
			t.Fatalf("Laredo's node gets %d operations, %v; want Laredo's %d", len(ref.Operations), err, seen["2304"]+1)
		}
		port := mustOpen(t, testdb.SQLite(t))
		if err := port.ApplyReference(testdb.System, ref); err != nil {
			t.Fatal(err)
		}
		if rep, err := port.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("the node's audit: %v %v", rep.Problems, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE operations SET officers = 60 WHERE id = ?`), op.ID); err != nil {
			t.Fatal(err)
		}
		rep, err := db.VerifyAudit(testdb.System, nil, nil)
		if err != nil || !strings.Contains(strings.Join(rep.Problems, "\n"), "operation:"+op.ID+" was altered") {
			t.Fatalf("verify after changing the officers: %v %v", rep.Problems, err)
		}
	})
}

// An inspection names its operation by an id the client sends, which
// nothing else checks (operation ids made elsewhere are allowed): one
// that names it at another crossing, or on another day, is no part of
// what the operation produced, however large its seizure.
func TestOperationCountsOnlyItsCrossingsAndDays(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		office := mustUser(t, db, "fo", outbound.FieldOffice, "2304", "3004")
		op, err := db.PlanOperation(office, outbound.OperationRequest{Name: "tip", Basis: outbound.IntelligenceBasis,
			Crossings: []string{"2304"}, Reason: "a tip", Officers: 4,
			From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 4}})
		if err != nil {
			t.Fatal(err)
		}
		var batch []outbound.Inspection
		for _, c := range []struct {
			crossing string
			at       time.Time
		}{
			{"2304", time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)},  // its crossing, its day: counts
			{"3004", time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)},  // another crossing
			{"2304", time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)}, // after it ended
			{"2304", time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)},   // 23:00 on March 1 at Laredo: before it began
		} {
			in := inspection(c.at)
			in.Crossing, in.OperationID = c.crossing, &op.ID
			in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{{Category: outbound.Currency, Quantity: 1e9, Unit: "USD", ValueUSD: 1e9}}
			batch = append(batch, in)
		}
		batch[0].Seizures[0].Quantity, batch[0].Seizures[0].ValueUSD = 500, 500
		db.Now = func() time.Time { return time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC) }
		for _, r := range mustRecord(t, db, batch...) {
			if r.Status != outbound.Created {
				t.Fatalf("setup: %+v", r)
			}
		}
		res, err := db.OperationResults(office, op.ID)
		if err != nil || res.Inspections != 1 || res.Seizures != 1 || res.ValueUSD != 500 || res.OfficerHours != 2*0.2 {
			t.Fatalf("results: %+v %v; want the one inspection at Laredo on its days, its seizure of $500, 0.4 officer hours", res, err)
		}
	})
}
