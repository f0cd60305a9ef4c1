package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/web"
)

// BenchmarkRefusal measures the handler time of POST /api/v1/inspections
// refusing oversized requests (issue #15: every refusal in under 100 ms),
// against storing one valid inspection in the same run: one inspection
// naming 200,000 badges (1.8 MB; it took 28 s of CPU while duplicates
// were sought pairwise), a batch of 1,001, a batch of 1,000 maximal
// inspections (20 officers, 50 seizures, 4,000 characters of notes each:
// 12 MB, past the body limit), and 8 MiB of empty items ("[{},{},...]",
// once a gigabyte of memory to refuse). SQLite: refusals never write.
// cpu-ms/op is the process's CPU time per request (garbage collection
// included), which the other engineers' load on a shared machine does
// not inflate as it does ns/op.
func BenchmarkRefusal(b *testing.B) {
	db := testdb.Open(b, testdb.SQLite(b), testdb.Laredo)
	handler := newServer(db).Handler()
	token := mustToken(b, db, "sam", outbound.Supervisor, "2304")
	post := func(b *testing.B, body []byte, want int) {
		req := httptest.NewRequest("POST", "/api/v1/inspections", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("answered %d %.200s; want %d", rec.Code, rec.Body.String(), want)
		}
	}
	b.Run("baseline-one-stored", func(b *testing.B) {
		bodies := make([][]byte, b.N)
		for i := range bodies {
			bodies[i] = oversized(1, 2, 1, 0)
		}
		b.ResetTimer()
		start := cpuTime()
		for i := range b.N {
			post(b, bodies[i], http.StatusCreated)
		}
		reportCPU(b, start)
	})
	for _, c := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"200000-badges", oversized(1, 200_000, 1, 0), http.StatusBadRequest},
		{"1001-items", oversized(1001, 2, 1, 0), http.StatusRequestEntityTooLarge},
		{"1000-maximal-items", oversized(1000, 20, 50, 4000), http.StatusRequestEntityTooLarge},
		{"2.8-million-empty-items", emptyItems(web.MaxBodyBytes), http.StatusRequestEntityTooLarge},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			start := cpuTime()
			for range b.N {
				post(b, c.body, c.status)
			}
			reportCPU(b, start)
		})
	}
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}
