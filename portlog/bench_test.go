package portlog_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/portlog"
	"github.com/outbound-oss/outbound/sqldb"
)

// benchRows is how many rows the import benchmark's log holds:
// OUTBOUND_BENCH_ROWS, 20,000 by default (docs/benchmarks.md ran 1,000,000).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("OUTBOUND_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

// benchLog writes a log of benchRows inspections at Laredo and Blaine,
// 1995 to 2024, 2% with a seizure, in the benchmark's temporary folder.
func benchLog(b *testing.B) string {
	benchPath := filepath.Join(b.TempDir(), "log.csv")
	func() {
		f, err := os.Create(benchPath)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		r := rand.New(rand.NewPCG(1, 2))
		modalities := []string{"personal_vehicle", "truck", "bus", "pedestrian"}
		techniques := []string{"interview", "visual", "physical", "nii_xray", "k9"}
		fmt.Fprint(w, "crossing,started_at,minutes,modality,techniques,trigger,officers,outcome,seizure1_category,seizure1_quantity,seizure1_unit,seizure1_value_usd\n")
		for i := range benchRows() {
			crossing := []string{"2304", "3004"}[i%2]
			at := time.Date(1995+r.IntN(30), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)
			t := techniques[r.IntN(5)]
			if r.IntN(2) == 0 {
				t += ";" + techniques[r.IntN(5)]
				if strings.Count(t, strings.Split(t, ";")[0]) > 1 {
					t = strings.Split(t, ";")[0]
				}
			}
			seizure := ",no_finding,,,,"
			if r.IntN(50) == 0 {
				seizure = fmt.Sprintf(",seizure,currency,%d,USD,%d", 100+r.IntN(90000), 100+r.IntN(90000))
			}
			fmt.Fprintf(w, "%s,%s,%d,%s,%s,routine,B%d;C%d%s\n", crossing, at.Format("2006-01-02 15:04"), 5+r.IntN(55),
				modalities[r.IntN(4)], t, r.IntN(500), r.IntN(500), seizure)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}()
	return benchPath
}

// rows reads the log at path through portlog, as the command does.
func rows(b *testing.B, path string) func(yield func(sqldb.HistoryRow, error) bool) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	info, _ := f.Stat()
	l, err := portlog.Open(path, f, info.Size(), nil, "", zones, now)
	if err != nil {
		b.Fatal(err)
	}
	return func(yield func(sqldb.HistoryRow, error) bool) {
		defer f.Close()
		defer l.Close()
		for r, err := range l.Rows() {
			if err == nil {
				err = r.Err
			}
			if !yield(sqldb.HistoryRow{Where: r.Where, Inspection: r.Inspection}, err) {
				return
			}
		}
	}
}

// peakRSS is the process's peak resident memory in MB (Linux).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkImportHistory imports the log into a fresh database per
// iteration, against reading and parsing it alone in the same run:
// rows/s of each, and the process's peak RSS so far.
func BenchmarkImportHistory(b *testing.B) {
	path := benchLog(b)
	n := float64(benchRows())
	b.Run("parse", func(b *testing.B) {
		for range b.N {
			for _, err := range rows(b, path) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(peakRSS(), "peak-RSS-MB")
	})
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				dsn := testdb.SQLite(b)
				if dialect == "postgres" {
					dsn = testdb.Postgres(b)
				}
				db := testdb.Open(b, dsn, testdb.Laredo, testdb.Blaine)
				b.StartTimer()
				st, err := db.ImportHistory(testdb.System, outbound.ImportSource{File: "log.csv", SHA256: strings.Repeat("0", 64)}, rows(b, path), sqldb.HistoryOptions{})
				if err != nil || float64(st.Rows) != n {
					b.Fatalf("import: %+v %v", st.Rows, err)
				}
			}
			b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(peakRSS(), "peak-RSS-MB")
		})
	}
}
