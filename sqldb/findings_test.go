package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/sqldb"
)

// The policy check of a crossing's inspections is kept per day and
// checked again whenever what it read changed: the day's inspections
// (a new one, an edit), a policy, a training record. A kept day deleted
// in the database is checked again, not skipped.
func TestPolicyFindingsAreKeptAndCheckedAgain(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		publish := func(min int, effective string) {
			t.Helper()
			src := fmt.Sprintf("kind: national\nid: n%d\neffective: "+effective+"\nrules:\n"+
				"  - id: physical\n    scope: {techniques: [physical]}\n    officers: {min: %d}\n    training: [physical-search]\n", min, min)
			if _, _, err := db.PublishPolicy(testdb.System, fmt.Sprintf("n%d.yaml", min), []byte(src)); err != nil {
				t.Fatal(err)
			}
		}
		publish(3, "2025-01-01")
		day1 := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		two := inspection(day1)                  // two officers, physical: breaks the minimum of 3
		three := inspection(day1.Add(time.Hour)) // three: keeps it
		three.Officers = []string{"B1", "B2", "B3"}
		other := inspection(day1.Add(48 * time.Hour)) // two days later, two officers
		mustRecord(t, db, two, three, other)
		from, to := outbound.Date{Year: 2026, Month: 3, Day: 1}, outbound.Date{Year: 2026, Month: 3, Day: 31}
		check := func(wantChecked int, want ...string) []policy.InspectionCheck {
			t.Helper()
			for round := range 2 { // checked, then read as kept
				n, found, err := db.CheckInspections(testdb.System, "2304", from, to)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range found {
					for _, v := range f.Violations {
						got = append(got, f.ID+" "+v.Message)
					}
				}
				if n != wantChecked || strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("round %d: %d checked, findings:\n%s\nwant %d checked:\n%s", round, n, strings.Join(got, "\n"), wantChecked, strings.Join(want, "\n"))
				}
				if round == 1 {
					return found
				}
			}
			return nil
		}
		id := func(in outbound.Inspection) string { return in.ID.String() }
		check(3, id(two)+" 2 officers; at least 3 required", id(other)+" 2 officers; at least 3 required")
		var kept int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM policy_findings_day WHERE crossing = '2304' AND epoch >= 0`).Scan(&kept); err != nil || kept != 2 {
			t.Fatalf("%d days kept, %v; want the 2 days with inspections", kept, err)
		}

		// A new inspection on a kept day, and an edit that fixes one.
		late := inspection(day1.Add(3 * time.Hour))
		late.Officers = []string{"B9"}
		fix := two
		fix.ID, fix.Replaces, fix.Reason, fix.Officers = uuid.New(), &two.ID, "a third officer took part", []string{"B1234", "B5678", "B42"}
		mustRecord(t, db, late)
		mustRecord(t, db, fix)
		check(4, id(late)+" 1 officer; at least 3 required", id(other)+" 2 officers; at least 3 required")

		// A national policy that supersedes the first, then a training record for one officer (the
		// rule's course is now known for that badge, and not completed).
		publish(2, "2026-03-01") // supersedes it
		check(4, id(late)+" 1 officer; at least 2 required")
		if _, err := db.RecordTraining(testdb.System, []outbound.TrainingRecord{{ID: uuid.New(), Badge: "B9", Course: "rail-outbound",
			CompletedOn: outbound.Date{Year: 2026, Month: 1, Day: 10}}}); err != nil {
			t.Fatal(err)
		}
		check(4, id(late)+" 1 officer; at least 2 required", id(late)+" officer B9 has not completed physical-search")

		// A kept day deleted from the database is checked again.
		if _, err := db.SQL().Exec(`DELETE FROM policy_findings_day`); err != nil {
			t.Fatal(err)
		}
		check(4, id(late)+" 1 officer; at least 2 required", id(late)+" officer B9 has not completed physical-search")

		// A check that cannot keep what it found, because a write holds
		// the lock (an import, say), answers all the same, without
		// waiting for the write.
		if _, err := db.RecordTraining(testdb.System, []outbound.TrainingRecord{{ID: uuid.New(), Badge: "B9", Course: "rail-outbound",
			CompletedOn: outbound.Date{Year: 2026, Month: 2, Day: 10}}}); err != nil {
			t.Fatal(err)
		}
		writer, err := db.SQL().Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer writer.Rollback()
		if _, err := writer.Exec(`UPDATE policy_findings_day SET gen = gen + 0 WHERE crossing = '2304'`); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(testdb.System, 5*time.Second)
		defer cancel()
		if n, found, err := db.CheckInspections(ctx, "2304", from, to); err != nil || n != 4 || len(found) != 1 {
			t.Fatalf("while a write holds the lock: %d checked, %d findings, %v; want 4 and 1, at once", n, len(found), err)
		}
		writer.Rollback()
	})
}
