package sqldb_test

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// TestVerifyNamesEveryTamperedFigure records inspections (with seizures,
// an edit and a void) and a policy, checks that verify finds nothing, then
// edits what reports read directly in the database, one thing at a time,
// and checks that verify names each: the crossing, day or month,
// dimension, value, and what is stored against what the inspections say.
func TestVerifyNamesEveryTamperedFigure(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sup := mustUser(t, db, "ana", outbound.Supervisor, "2304")
		first := inspection(time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC))
		first.Outcome = outbound.Seized
		first.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 51915, Unit: "USD", ValueUSD: 51915}}
		second, voided := inspection(first.StartedAt.Add(time.Hour)), inspection(first.StartedAt.Add(2*time.Hour))
		if res, err := db.RecordInspections(sup, []outbound.Inspection{first, second, voided, inspection(first.StartedAt.AddDate(0, -1, 0))}); err != nil || res[3].Status != outbound.Created {
			t.Fatalf("%+v, %v", res, err)
		}
		edit, void := second, voided
		edit.ID, edit.Replaces, edit.Reason, edit.Modality = uuid.New(), &second.ID, "truck, not a car", outbound.Truck
		void.ID, void.Replaces, void.Reason, void.Voided = uuid.New(), &voided.ID, "entered twice", true
		if res, err := db.RecordInspections(sup, []outbound.Inspection{edit, void}); err != nil || res[0].Status != outbound.Created || res[1].Status != outbound.Created {
			t.Fatalf("edit and void: %+v %v", res, err)
		}
		national, err := os.ReadFile("../policy/testdata/policies/national.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PublishPolicy(mustUser(t, db, "pat", outbound.PolicyAdmin), "national.yaml", national); err != nil {
			t.Fatal(err)
		}
		rep, err := db.VerifyAudit(testdb.System, nil, nil)
		if err != nil || !rep.OK() || rep.RollupCells == 0 {
			t.Fatalf("an honest database: %+v, %v", rep, err)
		}
		for _, c := range []struct {
			name, tamper string
			args         []any
			want         []string
		}{
			{"daily count and value", `UPDATE inspection_rollup SET inspections = 3333, value_usd = 31000000 WHERE crossing = '2304' AND day = '2026-03-07' AND dim = 'all'`, nil,
				[]string{"daily rollup of crossing 2304, 2026-03-07, all=(all) does not match the inspections: inspections 3333 stored, 2 recomputed; value $31000000.00 stored, $51915.00 recomputed"}},
			{"daily row of a dimension value", `UPDATE inspection_rollup SET officer_minutes = officer_minutes + 600 WHERE day = '2026-03-07' AND dim = 'modality' AND value = 'truck'`, nil,
				[]string{"daily rollup of crossing 2304, 2026-03-07, modality=truck does not match the inspections: officer minutes 624.00 stored, 24.00 recomputed"}},
			{"daily row added", `INSERT INTO inspection_rollup (crossing, day, dim, value, inspections, seizures, value_usd, quantity, officer_minutes)
				VALUES ('2304', '2026-03-08', 'technique', 'k9', 5, 0, 0, 0, 60)`, nil,
				[]string{"daily rollup of crossing 2304, 2026-03-08, technique=k9 does not match the inspections: inspections 5 stored, 0 recomputed; officer minutes 60.00 stored, 0.00 recomputed"}},
			{"daily row removed", `DELETE FROM inspection_rollup WHERE day = '2026-03-07' AND dim = 'category'`, nil,
				[]string{"daily rollup of crossing 2304, 2026-03-07, category=currency does not match the inspections: seizures 0 stored, 1 recomputed; value $0.00 stored, $51915.00 recomputed"}},
			{"monthly value", `UPDATE inspection_rollup_month SET value_usd = 31000000 WHERE month = '2026-03-01' AND dim = 'category'`, nil,
				[]string{"monthly rollup of crossing 2304, 2026-03, category=currency does not match the inspections: value $31000000.00 stored, $51915.00 recomputed"}},
			{"monthly mask of days", `UPDATE inspection_rollup_month SET days = 2147483647 WHERE month = '2026-02-01' AND dim = 'all'`, nil,
				[]string{"monthly rollup of crossing 2304, 2026-02, all=(all) does not match the inspections: days with inspections 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31 stored, 7 recomputed"}},
			{"unknown dimension", `INSERT INTO inspection_rollup_month (crossing, month, dim, value, inspections, seizures, value_usd, quantity, officer_minutes, days)
				VALUES ('2304', '2026-03-01', 'mood', 'calm', 9, 0, 0, 0, 0, 1)`, nil,
				[]string{`inspection_rollup_month has 1 rows of dimension "mood", which no write keeps`}},
			{"policy text", `UPDATE policies SET source = replace(source, 'count: 1, per: day', 'count: 1, per: month') WHERE id = 'national-2026'`, nil,
				[]string{"policy:national-2026 was altered after it was written: it no longer matches its audit entry"}},
			{"policy date", `UPDATE policies SET effective = '2027-01-01' WHERE id = 'national-2026'`, nil,
				[]string{`policy:national-2026 was altered after it was published: its kind "national" or effective date "2027-01-01" is not what its text says`}},
		} {
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				var source, effective string
				if err := db.SQL().QueryRow(`SELECT source, effective FROM policies`).Scan(&source, &effective); err != nil {
					t.Fatal(err)
				}
				mustExec(t, db, c.tamper, c.args...)
				rep, err := db.VerifyAudit(testdb.System, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				got := strings.Join(rep.Problems, "\n")
				for _, w := range c.want {
					if !strings.Contains(got, w) {
						t.Errorf("verify says:\n%s\nwant it to say %q", got, w)
					}
				}
				if len(rep.Problems) != len(c.want) {
					t.Errorf("verify found %d problems, want %d:\n%s", len(rep.Problems), len(c.want), got)
				}
				// A sample that covers every crossing-month finds it too.
				if sample, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{Sample: 1000}); err != nil ||
					(strings.Contains(c.name, "ly") && sample.OK()) || sample.RollupSample == 0 {
					t.Errorf("a sample of every crossing-month: %+v, %v", sample, err)
				}
				// Put it back: rebuild the rollups, restore the policy.
				mustExec(t, db, `DELETE FROM inspection_rollup_month WHERE dim = 'mood'`)
				mustExec(t, db, `UPDATE policies SET source = ?, effective = ?`, source, effective)
				if err := db.RebuildRollups(testdb.System); err != nil {
					t.Fatal(err)
				}
				if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
					t.Fatalf("after putting it back: %q, %v", rep.Problems, err)
				}
			})
		}
	})
}

// TestVerifySamplesCrossingMonths checks that a sample recomputes the
// number of crossing-months asked for, drawn from every crossing and every
// month the records span, and finds a tampered cell when its crossing-month
// is drawn.
func TestVerifySamplesCrossingMonths(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sup := mustUser(t, db, "ana", outbound.Supervisor, "2304")
		var batch []outbound.Inspection
		for m := range 6 {
			batch = append(batch, inspection(time.Date(2025, time.Month(10+m), 3, 15, 0, 0, 0, time.UTC)))
		}
		res, err := db.RecordInspections(sup, batch)
		for _, r := range res {
			if err != nil || r.Status != outbound.Created {
				t.Fatalf("%+v, %v", r, err)
			}
		}
		mustExec(t, db, `UPDATE inspection_rollup SET inspections = 40 WHERE day = '2026-02-03' AND dim = 'all'`)
		var crossings int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM crossings`).Scan(&crossings); err != nil {
			t.Fatal(err)
		}
		found := 0
		for seed := range uint64(40) {
			rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{Sample: 3, Rand: rand.New(rand.NewPCG(seed, 1))})
			if err != nil || rep.RollupSample != 3 {
				t.Fatalf("sample of 3: %+v, %v", rep, err)
			}
			if !rep.OK() {
				found++
				if !strings.Contains(rep.Problems[0], "daily rollup of crossing 2304, 2026-02-03, all=(all)") {
					t.Fatalf("the sample names %q", rep.Problems)
				}
			}
		}
		// 3 of crossings x 6 months: about 40*3/(6*crossings) draws find it.
		if found == 0 || found == 40 {
			t.Errorf("40 samples of 3 crossing-months out of %d found the tampered cell %d times", 6*crossings, found)
		}
		if rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{}); err != nil || rep.OK() || rep.RollupSample != 0 {
			t.Errorf("the full check: %+v, %v", rep, err)
		}
	})
}
