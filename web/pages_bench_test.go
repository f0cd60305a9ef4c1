package web_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// BenchmarkPages loads every page that reads the record the way people do, four at a
// time on loopback (OUTBOUND_BENCH_CLIENTS sets how many), from a database that already holds the national
// dataset (OUTBOUND_BENCH_SQLITE or OUTBOUND_BENCH_POSTGRES, made by
// `outbound generate`, ending 2026-11-26), and reports each page's 50th,
// 95th and 99th percentile answer time. GET /healthz through the same
// server and authentication is the baseline of the same run. Run with
// -benchtime 400x for stable percentiles.
func BenchmarkPages(b *testing.B) {
	workers := 4
	if n, err := strconv.Atoi(os.Getenv("OUTBOUND_BENCH_CLIENTS")); err == nil && n > 0 {
		workers = n
	}
	for _, db := range []struct{ name, env string }{{"sqlite", "OUTBOUND_BENCH_SQLITE"}, {"postgres", "OUTBOUND_BENCH_POSTGRES"}} {
		dsn := os.Getenv(db.env)
		if dsn == "" {
			continue
		}
		b.Run(db.name, func(b *testing.B) {
			store := testdb.Open(b, dsn)
			if docs, err := store.FindPolicies(testdb.System); err != nil {
				b.Fatal(err)
			} else if len(docs) == 0 { // the demo policy, as the reports benchmark publishes it
				if _, _, err := store.PublishPolicy(testdb.System, "demo", demo.Policy); err != nil {
					b.Fatal(err)
				}
			}
			h := newServer(store)
			h.Now = func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }
			srv := httptest.NewServer(h.Handler())
			defer srv.Close()
			stamp := time.Now().Format("150405.000000")
			analyst := mustToken(b, store, "bench-"+stamp, outbound.HQAnalyst)
			cs, err := store.FindCrossings(testdb.System)
			if err != nil || len(cs) == 0 {
				b.Fatalf("no crossings in %s: %v", dsn, err)
			}
			// The supervisor's desk and the survey desk are a field
			// office's, over the first crossings.
			var office []string
			for _, c := range cs[:min(10, len(cs))] {
				office = append(office, c.Code)
			}
			desk := mustToken(b, store, "bench-office-"+stamp, outbound.FieldOffice, office...)
			officer := mustToken(b, store, "bench-officer-"+stamp, outbound.Officer, cs[0].Code)
			latest, _, err := store.FindInspections(testdb.System, outbound.InspectionFilter{Filter: outbound.Filter{Crossing: cs[0].Code, Limit: 1}})
			if err != nil || len(latest) == 0 {
				b.Fatalf("no inspections at %s: %v", cs[0].Code, err)
			}
			pages := []struct{ name, path, token string }{
				{"healthz", "/healthz", analyst},
				{"dashboard-90d", "/dashboard", analyst},
				{"dashboard-year", "/dashboard?from=2025-11-27&to=2026-11-26", analyst},
				{"dashboard-southwest", "/dashboard?border=southwest", analyst},
				{"crossing", "/crossings/" + cs[0].Code, analyst},
				{"crossing-year", "/crossings/" + cs[0].Code + "?from=2025-11-27&to=2026-11-26", analyst},
				{"inspection", "/inspections/" + latest[0].ID.String(), analyst},
				{"reports", "/reports", analyst},
				{"budget", "/reports/budget", analyst},
				{"supervisor-desk", "/supervisor", desk},
				{"survey-desk", "/survey", desk},
				{"officer-form", "/capture", officer},
				{"officer-outbox", "/outbox", officer},
			}
			for _, name := range outbound.ReportNames {
				pages = append(pages, struct{ name, path, token string }{"report-" + name, "/reports/" + name, analyst})
			}
			for _, page := range pages {
				b.Run(page.name, func(b *testing.B) { load(b, srv.URL+page.path, page.token, workers) })
			}
		})
	}
}

// load requests url b.N times from workers at once and reports the
// percentiles of the answer times.
func load(b *testing.B, url, token string, workers int) {
	get := func() time.Duration {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("GET %s: %v %v", url, resp, err)
		}
		var buf [32 << 10]byte
		for {
			if _, err := resp.Body.Read(buf[:]); err != nil {
				break
			}
		}
		resp.Body.Close()
		return time.Since(start)
	}
	for range workers { // warm the caches and the connection pool
		get()
	}
	times := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				times[i] = get()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(times)
	at := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
