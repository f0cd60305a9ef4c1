package bts_test

import (
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/bts"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// BenchmarkImport imports the full 1996-2022 file (375k rows). The parse
// case reads and checks every row without storing it: the baseline that
// the storing cases are compared with. Peak heap is sampled during the run:
// it stays flat because rows stream.
func BenchmarkImport(b *testing.B) {
	path := testdb.Shared(b, "Border_Crossing_Entry_Data.zip")
	cases := []struct {
		name string
		dsn  func(testing.TB) string
	}{{"parse", nil}, {"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.name == "postgres" && os.Getenv(testdb.EnvPostgres) == "" {
				b.Skip("OUTBOUND_TEST_POSTGRES not set")
			}
			peak := watchHeap(b)
			rows := 0
			for range b.N {
				b.StopTimer()
				var db *sqldb.DB
				if c.dsn != nil {
					db = testdb.Open(b, c.dsn(b))
				}
				rc, err := bts.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				r, err := bts.NewReader(rc)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if db == nil {
					for _, err := range r.All() {
						if err != nil {
							b.Fatal(err)
						}
						rows++
					}
				} else {
					st, err := db.ImportVolumes(testdb.System, r.All())
					if err != nil {
						b.Fatal(err)
					}
					rows += st.Rows
				}
				b.StopTimer()
				rc.Close()
				if db != nil {
					db.Close()
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		})
	}
}

// watchHeap samples the heap in use until the benchmark ends.
func watchHeap(b *testing.B) *atomic.Uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	b.Cleanup(func() { close(done) })
	return &peak
}
