package nodesync_test

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
	"github.com/outbound-oss/outbound/web"
)

// BenchmarkBacklog pushes 100,000 queued inspections from a node (SQLite)
// to headquarters over loopback, with headquarters on SQLite and on
// PostgreSQL. One op is the whole backlog; besides its wall time, the CPU
// time it took is reported.
func BenchmarkBacklog(b *testing.B) {
	const n = 100_000
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			if name == "postgres" && os.Getenv(testdb.EnvPostgres) == "" {
				b.Skip(testdb.EnvPostgres + " not set")
			}
			for range b.N {
				b.StopTimer()
				hqDSN := testdb.SQLite(b)
				if name == "postgres" {
					hqDSN = testdb.Postgres(b)
				}
				hqDB := testdb.Open(b, hqDSN, testdb.Laredo)
				if _, err := hqDB.AddUser(testdb.System, outbound.User{Name: "node-2304", Role: outbound.Node, Crossings: []string{"2304"}}); err != nil {
					b.Fatal(err)
				}
				_, token, err := hqDB.CreateToken(testdb.System, "node-2304", "", nil, time.Hour)
				if err != nil {
					b.Fatal(err)
				}
				schema, _ := hqDB.SchemaVersion(context.Background())
				srv := httptest.NewServer((&web.Server{Crossings: hqDB, Inspections: hqDB, Staffing: hqDB, Exits: hqDB,
					Accounts: hqDB, Audit: hqDB, Sync: hqDB, Ping: hqDB.Ping}).Handler())
				node := testdb.Open(b, testdb.SQLite(b), testdb.Laredo)
				base := time.Now().Add(-72 * time.Hour)
				for start := 0; start < n; start += 1000 {
					batch := make([]outbound.Inspection, 1000)
					for i := range batch {
						at := base.Add(time.Duration(start+i) * time.Second)
						batch[i] = outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: at, EndedAt: at.Add(time.Minute),
							Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview},
							Trigger: outbound.Routine, Officers: []string{"B1"}, Outcome: outbound.NoFinding}
					}
					if _, err := node.RecordInspections(testdb.System, batch); err != nil {
						b.Fatal(err)
					}
				}
				c := client.New(srv.URL, token)
				c.Schema = schema
				s := &nodesync.Syncer{DB: node, Upstream: c}
				cpu := testdb.CPU(b, hqDB)
				b.StartTimer()
				start := time.Now()
				rep, err := s.Round(context.Background())
				elapsed := time.Since(start)
				b.StopTimer()
				process, server := cpu()
				srv.Close()
				if err != nil || rep.Pushed != n || rep.Pending != 0 {
					b.Fatalf("round: %+v, %v", rep, err)
				}
				b.ReportMetric(elapsed.Seconds(), "s/backlog")
				b.ReportMetric(float64(n)/elapsed.Seconds(), "records/s")
				// On a shared machine the CPU used is the steadier figure:
				// this process's (node, HTTP, headquarters) and, on
				// PostgreSQL, its backends'.
				b.ReportMetric(process.Seconds(), "cpu-s")
				b.ReportMetric(server.Seconds(), "pg-cpu-s")
			}
		})
	}
}
