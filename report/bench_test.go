package report_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// BenchmarkReports times each report for one calendar year, nation-wide,
// from the rollups, against the same numbers from a plain GROUP BY over the
// raw inspections in the same run. The dataset is 167 synthetic crossings
// over five years; OUTBOUND_BENCH_INSPECTIONS sets its size (default
// 1,000,000; the goal is stated for 10,000,000). OUTBOUND_BENCH_SQLITE and
// OUTBOUND_BENCH_POSTGRES name a database to use instead of a new one: one
// that already holds inspections (made by `outbound generate`, which makes
// the same dataset) is used as it is, so that ten million load once.
func BenchmarkReports(b *testing.B) {
	total := int64(1_000_000)
	if v, err := strconv.ParseInt(os.Getenv("OUTBOUND_BENCH_INSPECTIONS"), 10, 64); err == nil {
		total = v
	}
	dsns := map[string]func(testing.TB) string{"sqlite": testdb.SQLite}
	if os.Getenv(testdb.EnvPostgres) != "" {
		dsns["postgres"] = testdb.Postgres
	}
	for name, env := range map[string]string{"sqlite": "OUTBOUND_BENCH_SQLITE", "postgres": "OUTBOUND_BENCH_POSTGRES"} {
		if dsn := os.Getenv(env); dsn != "" {
			dsns[name] = func(testing.TB) string { return dsn }
		}
	}
	year := outbound.ReportFilter{From: outbound.Date{Year: 2025, Month: 1, Day: 1}, To: outbound.Date{Year: 2025, Month: 12, Day: 31}}
	for _, name := range []string{"sqlite", "postgres"} {
		mk, ok := dsns[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			db := testdb.Open(b, mk(b))
			ctx := testdb.System
			start := time.Now()
			if err := loadNational(ctx, db, total); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: ready in %s", name, time.Since(start).Round(time.Second))
			for _, report := range []string{"activity", "seizures", "yield", "coverage", "compliance", "staffing", "exits"} {
				b.Run(report+"/rollups", func(b *testing.B) {
					for range b.N {
						if _, err := db.Report(ctx, report, year); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(report+"/raw", func(b *testing.B) {
					for range b.N {
						if err := raw(ctx, db, report, year); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// loadNational publishes the demo policy and loads the national dataset,
// unless the database has them already.
func loadNational(ctx context.Context, db *sqldb.DB, total int64) error {
	if docs, err := db.FindPolicies(ctx); err != nil {
		return err
	} else if len(docs) == 0 {
		if _, _, err := db.PublishPolicy(ctx, "demo", demo.Policy); err != nil {
			return err
		}
	}
	var loaded bool
	if err := db.SQL().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM inspections)`).Scan(&loaded); err != nil || loaded {
		return err
	}
	ports := demo.Ports(1, 55, 112)
	if err := db.SavePorts(ctx, ports); err != nil {
		return err
	}
	load := &sqldb.BulkLoader{DB: db}
	err := demo.National(1, ports, outbound.Date{Year: 2021, Month: 11, Day: 27}, outbound.Date{Year: 2026, Month: 11, Day: 26}, total,
		func(batch []outbound.Inspection) error { return load.Add(ctx, batch) })
	if err == nil {
		err = load.Flush(ctx)
	}
	return err
}

// raw computes a report's numbers with plain GROUP BY queries over the
// current, unvoided inspections: the baseline.
func raw(ctx context.Context, db *sqldb.DB, report string, f outbound.ReportFilter) error {
	const current = ` FROM inspections i WHERE i.local_day >= ? AND i.local_day <= ? AND i.voided = ?
		AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`
	var queries []string
	switch report {
	case "activity":
		queries = []string{`SELECT crossing, modality, trigger, outcome, count(*)` + current + ` GROUP BY crossing, modality, trigger, outcome`,
			`SELECT crossing, techniques, count(*)` + current + ` GROUP BY crossing, techniques`}
	case "seizures":
		queries = []string{`SELECT crossing, count(*)` + current + ` GROUP BY crossing`,
			`SELECT i.crossing, s.category, count(*), sum(s.value_usd) FROM seizures s JOIN inspections i ON i.id = s.inspection_id
			WHERE i.local_day >= ? AND i.local_day <= ? AND i.voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)
			GROUP BY i.crossing, s.category`}
	case "yield":
		queries = []string{`SELECT crossing, techniques, trigger, count(*), sum(officer_count)` + current + ` GROUP BY crossing, techniques, trigger`,
			`SELECT i.crossing, count(*), sum(s.value_usd) FROM seizures s JOIN inspections i ON i.id = s.inspection_id
			WHERE i.local_day >= ? AND i.local_day <= ? AND i.voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)
			GROUP BY i.crossing`}
	case "coverage":
		queries = []string{`SELECT DISTINCT crossing, local_day` + current}
	case "compliance":
		queries = []string{`SELECT crossing, local_day, count(*)` + current + ` GROUP BY crossing, local_day`}
	case "staffing", "exits": // the staffing and exit tables are the same either way; the inspections are not
		queries = []string{`SELECT crossing, count(*), sum(officer_count)` + current + ` GROUP BY crossing`}
	}
	for _, q := range queries {
		rows, err := db.SQL().QueryContext(ctx, db.Rebind(q), f.From.String(), f.To.String(), false)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkReportsStandby times each report for one calendar year on a
// PostgreSQL primary and on a hot standby streaming from it (serve
// --read-db), in the same run, taking turns, with the national dataset of
// BenchmarkReports (OUTBOUND_BENCH_INSPECTIONS, default 1,000,000). Both
// clusters are the test's own (testdb.NewReplica), on this one machine:
// what it measures is the cost of reading a standby, not the relief of a
// primary on another machine.
func BenchmarkReportsStandby(b *testing.B) {
	total := int64(1_000_000)
	if v, err := strconv.ParseInt(os.Getenv("OUTBOUND_BENCH_INSPECTIONS"), 10, 64); err == nil {
		total = v
	}
	rep := testdb.NewReplica(b)
	ctx := testdb.System
	primary := testdb.Open(b, rep.Primary)
	start := time.Now()
	if err := loadNational(ctx, primary, total); err != nil {
		b.Fatal(err)
	}
	if _, err := primary.SQL().ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	rep.WaitReplay()
	b.Logf("%d inspections loaded and replayed in %s", total, time.Since(start).Round(time.Second))
	standby, err := sqldb.OpenStandby(ctx, rep.Standby, primary)
	if err != nil {
		b.Fatal(err)
	}
	defer standby.Close()
	year := outbound.ReportFilter{From: outbound.Date{Year: 2025, Month: 1, Day: 1}, To: outbound.Date{Year: 2025, Month: 12, Day: 31}}
	timed := func(b *testing.B, db *sqldb.DB, report string) time.Duration {
		start := time.Now()
		if _, err := db.Report(ctx, report, year); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for _, report := range []string{"activity", "seizures", "yield", "coverage", "compliance", "staffing", "exits"} {
		// The two sides take turns, each warmed first, so that the load
		// of a shared machine falls on both alike.
		b.Run(report, func(b *testing.B) {
			timed(b, primary, report)
			timed(b, standby, report)
			var onPrimary, onStandby time.Duration
			for range b.N {
				onPrimary += timed(b, primary, report)
				onStandby += timed(b, standby, report)
			}
			b.ReportMetric(float64(onPrimary.Microseconds())/1000/float64(b.N), "primary-ms/op")
			b.ReportMetric(float64(onStandby.Microseconds())/1000/float64(b.N), "standby-ms/op")
			b.ReportMetric(float64(onStandby)/float64(onPrimary), "standby/primary")
		})
	}
}
