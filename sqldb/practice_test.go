package sqldb_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A database that holds inspections from before the practice rollups
// (migration 0025) gets them filled by the migration, equal to those that
// writes keep, and verify names the rows when they are missing.
func TestMigrationFillsThePracticeRollups(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		var batch []outbound.Inspection
		for i := range 30 {
			in := inspection(at.Add(time.Duration(i) * 7 * time.Hour))
			in.Officers = []string{"B1", "B2", "B3"}[:1+i%3]
			in.Techniques = [][]outbound.Technique{{outbound.Interview}, {outbound.Physical, outbound.Interview}, {outbound.Interview, outbound.Physical}}[i%3]
			if i%4 == 0 {
				in.Crossing = "3004"
			}
			batch = append(batch, in)
		}
		mustRecord(t, db, batch...)
		practice := func() ([]sqldb.RollupRow, []sqldb.RollupRow) {
			days, err1 := db.Rollups(testdb.System, false)
			months, err2 := db.Rollups(testdb.System, true)
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			only := func(rows []sqldb.RollupRow) []sqldb.RollupRow {
				return slices.DeleteFunc(rows, func(r sqldb.RollupRow) bool { return r.Dim != "practice" })
			}
			return only(days), only(months)
		}
		keptDays, keptMonths := practice()
		// Techniques in either order are one practice; officers tell practices apart.
		values := map[string]bool{}
		for _, r := range keptMonths {
			values[r.Value] = true
		}
		for _, want := range []string{"personal_vehicle|interview|1", "personal_vehicle|interview+physical|2", "personal_vehicle|interview+physical|3"} {
			if !values[want] {
				t.Fatalf("no monthly practice %q among %v", want, values)
			}
		}

		// The database as it was before migration 0025.
		for _, q := range []string{`DELETE FROM inspection_rollup WHERE dim = 'practice'`, `DELETE FROM inspection_rollup_month WHERE dim = 'practice'`,
			`DELETE FROM schema_migrations WHERE version = 25`} {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{})
		if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "practice=") {
			t.Fatalf("verify with the practice rollups missing: %q, %v", rep.Problems, err)
		}
		applied, err := db.Migrate(testdb.System)
		if err != nil || len(applied) != 1 || applied[0].Name != "0025_practice_rollup" {
			t.Fatalf("migrate: %v, %v", applied, err)
		}
		days, months := practice()
		// SQLite's julianday() reads minutes to about a millionth of a day.
		near := cmp.Comparer(func(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 })
		if d := cmp.Diff(keptDays, days, near); d != "" || len(days) == 0 {
			t.Fatalf("daily practice rollups filled by the migration differ from those writes keep (-kept +filled):\n%s", d)
		}
		if d := cmp.Diff(keptMonths, months, near); d != "" {
			t.Fatalf("monthly practice rollups filled by the migration differ from those writes keep (-kept +filled):\n%s", d)
		}
		if rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{}); err != nil || !rep.OK() {
			t.Fatalf("verify after the migration: %q, %v", rep.Problems, err)
		}
	})
}
