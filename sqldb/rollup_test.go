package sqldb_test

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// TestRollupsEqualARecomputation makes random writes, edits, voids and
// un-voids, in random batches, and checks after each round that the
// rollups kept write by write equal a recomputation from scratch.
func TestRollupsEqualARecomputation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		r := rand.New(rand.NewPCG(1, 2))
		var current []outbound.Inspection // latest version of each inspection
		random := func(in *outbound.Inspection) {
			in.Crossing = []string{"2304", "3004"}[r.IntN(2)]
			in.StartedAt = time.Date(2026, 3, 1+r.IntN(5), r.IntN(24), 0, 0, 0, time.UTC)
			in.EndedAt = in.StartedAt.Add(time.Duration(5+r.IntN(60)) * time.Minute)
			in.Modality = outbound.Modalities[r.IntN(len(outbound.Modalities))]
			in.Techniques = []outbound.Technique{outbound.Techniques[r.IntN(3)], outbound.Techniques[3+r.IntN(3)]}
			in.Trigger = outbound.Triggers[r.IntN(len(outbound.Triggers))]
			in.Officers = []string{"B1", "B2", "B3"}[:1+r.IntN(3)]
			in.Outcome, in.Seizures = outbound.NoFinding, nil
			if r.IntN(4) == 0 {
				in.Outcome = outbound.Seized
				for range 1 + r.IntN(2) {
					in.Seizures = append(in.Seizures, outbound.Seizure{Category: outbound.Categories[r.IntN(6)],
						Quantity: 1, Unit: "each", ValueUSD: float64(r.IntN(10000))})
				}
			}
		}
		for round := range 8 {
			var batch []outbound.Inspection
			for range 20 + r.IntN(30) {
				var in outbound.Inspection
				if len(current) > 0 && r.IntN(3) == 0 { // edit, void or un-void a current version
					i := r.IntN(len(current))
					prev := current[i]
					in = prev
					in.ID, in.Replaces, in.Reason = uuid.New(), &prev.ID, "random edit"
					switch r.IntN(3) {
					case 0:
						in.Voided = !prev.Voided
					default:
						random(&in)
						in.Crossing = prev.Crossing // an edit stays at its crossing
					}
					current[i] = in
				} else {
					in.ID = uuid.New()
					random(&in)
					current = append(current, in)
				}
				batch = append(batch, in)
			}
			res, err := db.RecordInspections(testdb.System, batch)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range res {
				if x.Status != outbound.Created {
					t.Fatalf("round %d item %d: %+v", round, i, x)
				}
			}
			keptDays, err1 := db.Rollups(testdb.System, false)
			keptMonths, err2 := db.Rollups(testdb.System, true)
			if err := errors.Join(err1, err2, db.RebuildRollups(testdb.System)); err != nil {
				t.Fatal(err)
			}
			days, err1 := db.Rollups(testdb.System, false)
			months, err2 := db.Rollups(testdb.System, true)
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			near := cmp.Comparer(func(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 })
			if diff := cmp.Diff(days, keptDays, near); diff != "" {
				t.Fatalf("round %d: daily rollups kept write by write differ from a recomputation (-rebuilt +kept):\n%s", round, diff)
			}
			if diff := cmp.Diff(months, keptMonths, near); diff != "" || len(months) == 0 {
				t.Fatalf("round %d: monthly rollups differ from a recomputation (-rebuilt +kept):\n%s", round, diff)
			}
			// Verify recomputes the same, by SQL aggregation.
			if rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{}); err != nil || !rep.OK() || rep.RollupCells == 0 {
				t.Fatalf("round %d: verify the rollups: %q (%d cells), %v", round, rep.Problems, rep.RollupCells, err)
			}
			// A month's mask has a bit for each day with a daily row.
			daysWith := map[string]int64{}
			for _, d := range days {
				if d.Inspections > 0 {
					daysWith[d.Crossing+d.Day[:8]+d.Dim+d.Value] |= 1 << (mustAtoi(d.Day[8:]) - 1)
				}
			}
			for _, m := range keptMonths {
				if m.Days != daysWith[m.Crossing+m.Day[:8]+m.Dim+m.Value] {
					t.Fatalf("round %d: %s %s %s=%s has days %b; the daily rows say %b", round, m.Crossing, m.Day, m.Dim, m.Value,
						m.Days, daysWith[m.Crossing+m.Day[:8]+m.Dim+m.Value])
				}
			}
		}
	})
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}
