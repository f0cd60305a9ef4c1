package sqldb_test

import (
	"os"
	"testing"

	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// BenchmarkBudget times the budget request's figures (BudgetSites) for
// fiscal year 2026 on a national dataset (OUTBOUND_BENCH_SQLITE,
// OUTBOUND_BENCH_POSTGRES; migrated, so that the practice rollups are
// filled), against the baseline of the same run: the grouped query over
// fiscal year 2025's raw inspections that measured the practices before
// the practice rollups existed.
func BenchmarkBudget(b *testing.B) {
	for _, c := range []struct{ name, env string }{{"sqlite", "OUTBOUND_BENCH_SQLITE"}, {"postgres", "OUTBOUND_BENCH_POSTGRES"}} {
		dsn := os.Getenv(c.env)
		if dsn == "" {
			continue
		}
		db := testdb.Open(b, dsn)
		b.Run(c.name+"/request", func(b *testing.B) {
			for range b.N {
				sites, err := db.BudgetSites(testdb.System, 2026)
				if err != nil || len(sites) == 0 {
					b.Fatalf("%d sites, %v", len(sites), err)
				}
			}
		})
		b.Run(c.name+"/raw-practices", func(b *testing.B) {
			minutes := `(julianday(ended_at) - julianday(started_at)) * 1440`
			if sqldb.IsPostgres(dsn) {
				minutes = `EXTRACT(EPOCH FROM ended_at - started_at) / 60`
			}
			q := db.Rebind(`SELECT crossing, modality, techniques, count(*), CAST(sum(` + minutes + `) AS double precision), CAST(sum(officer_count) AS double precision)
				FROM inspections i WHERE local_day >= ? AND local_day <= ? AND voided = ?
				AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)
				GROUP BY crossing, modality, techniques`)
			for range b.N {
				rows, err := db.SQL().Query(q, "2024-10-01", "2025-09-30", false)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				rows.Close()
				if err := rows.Err(); err != nil || n == 0 {
					b.Fatalf("%d practices, %v", n, err)
				}
			}
		})
	}
}
