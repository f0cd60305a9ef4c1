package sqldb_test

import (
	"os"
	"syscall"
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
				start, cpu := time.Now(), cpuTime()
				rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{})
				if err != nil {
					b.Fatal(err)
				}
				if !rep.OK() {
					b.Fatalf("%d problems on a generated dataset: %q", len(rep.Problems), rep.Problems)
				}
				wall, used := time.Since(start), cpuTime()-cpu
				b.ReportMetric(float64(rep.RollupCells)/wall.Seconds(), "cells/s")
				b.ReportMetric(used.Seconds(), "cpu-s")
				b.Logf("%s: %d cells in %s, %s of this process's CPU (the machine is shared: CPU time is the steadier figure)",
					c.name, rep.RollupCells, wall.Round(time.Millisecond), used.Round(time.Millisecond))
			}
		})
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
