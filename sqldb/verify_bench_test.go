package sqldb_test

import (
	"os"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// BenchmarkVerifyRollups times the full recomputation of the report
// rollups on a database that already holds a dataset (made by `outbound
// generate`): OUTBOUND_BENCH_SQLITE and OUTBOUND_BENCH_POSTGRES name it.
// The database is opened, not migrated, and only read: a benchmark
// database shared with others stays as it is. Such a dataset has no audit
// entries, so this times the rollup part of verify alone; it must find
// nothing, since the bulk loader keeps the rollups as every write does.
func BenchmarkVerifyRollups(b *testing.B) {
	for _, c := range []struct{ name, env string }{{"sqlite", "OUTBOUND_BENCH_SQLITE"}, {"postgres", "OUTBOUND_BENCH_POSTGRES"}} {
		dsn := os.Getenv(c.env)
		if dsn == "" {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			db, err := sqldb.Open(testdb.System, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for range b.N {
				start := time.Now()
				rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{})
				if err != nil {
					b.Fatal(err)
				}
				if !rep.OK() {
					b.Fatalf("%d problems on a generated dataset: %q", len(rep.Problems), rep.Problems)
				}
				b.ReportMetric(float64(rep.RollupCells)/time.Since(start).Seconds(), "cells/s")
				b.Logf("%s: %d cells in %s", c.name, rep.RollupCells, time.Since(start).Round(time.Millisecond))
			}
		})
	}
}
