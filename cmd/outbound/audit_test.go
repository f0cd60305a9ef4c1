package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// TestAuditVerifyRecomputesTheRollups edits a report rollup in the
// database, as an insider could, and runs audit verify as an auditor
// would: in full and with --sample, on both databases.
func TestAuditVerifyRecomputesTheRollups(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
		db := testdb.Open(t, dsn)
		cs, err := db.FindCrossings(testdb.System)
		if err != nil || len(cs) == 0 {
			t.Fatalf("crossings: %v %v", cs, err)
		}
		started := time.Now().Add(-30 * time.Hour).Truncate(time.Hour)
		in := outbound.Inspection{ID: uuid.New(), Crossing: cs[0].Code, StartedAt: started, EndedAt: started.Add(10 * time.Minute),
			Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.Routine,
			Officers: []string{"B1"}, Outcome: outbound.Seized,
			Seizures: []outbound.Seizure{{Category: outbound.Currency, Quantity: 51915, Unit: "USD", ValueUSD: 51915}}}
		if res, err := db.RecordInspections(testdb.System, []outbound.Inspection{in}); err != nil || res[0].Status != outbound.Created {
			t.Fatalf("record: %+v %v", res, err)
		}
		if code, out, _ := run(t, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "rollup cells recomputed") || !strings.Contains(out, "ok: ") {
			t.Fatalf("verify an honest database: %d %q", code, out)
		}
		if _, err := db.SQL().Exec(`UPDATE inspection_rollup SET inspections = 3333, value_usd = 31000000 WHERE dim = 'all'`); err != nil {
			t.Fatal(err)
		}
		want := "problem: daily rollup of crossing " + cs[0].Code + ", "
		code, out, _ := run(t, "audit", "verify", "--db", dsn)
		if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "inspections 3333 stored, 1 recomputed; value $31000000.00 stored, $51915.00 recomputed") {
			t.Fatalf("verify after editing a rollup: %d %q; want exit 1 naming the cell", code, out)
		}
		code, out, _ = run(t, "audit", "verify", "--db", dsn, "--sample", "100000")
		if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "only a sample of") {
			t.Fatalf("verify --sample covering every crossing-month: %d %q", code, out)
		}
		if code, _, errs := run(t, "audit", "verify", "--db", dsn, "--sample", "-1"); code != 2 || !strings.Contains(errs, "--sample") {
			t.Fatalf("--sample -1: %d %q", code, errs)
		}
	})
}
