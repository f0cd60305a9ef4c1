package sqldb_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// BenchmarkAuditDesign weighs the audit log's two designs of issue #18 on
// both databases: one entry per record, as the log is, against one entry
// per batch that keeps the list of its records' digests. One op appends
// 100 batches of 1,000 records' entries (write, ms per batch) and then
// reads the whole log back as verify does, every link recomputed and
// every record's last digest found (verify, ms per 100,000 records).
func BenchmarkAuditDesign(b *testing.B) {
	const batches, per = 100, 1000
	subjects, digests := make([][]string, batches), make([][]string, batches)
	for i := range batches {
		subjects[i], digests[i] = make([]string, per), make([]string, per)
		for j := range per {
			subjects[i][j] = "inspection:" + uuid.NewString()
			h := sha256.Sum256([]byte(subjects[i][j]))
			digests[i][j] = hex.EncodeToString(h[:])
		}
	}
	for _, dbName := range []string{"sqlite", "postgres"} {
		dsn := testdb.SQLite
		if dbName == "postgres" {
			if os.Getenv(testdb.EnvPostgres) == "" {
				continue
			}
			dsn = testdb.Postgres
		}
		for _, design := range []string{"per-record", "per-batch"} {
			b.Run(dbName+"/"+design, func(b *testing.B) {
				var write, verify time.Duration
				for range b.N {
					db := testdb.Open(b, dsn(b))
					start := time.Now()
					for i := range batches {
						var err error
						if design == "per-record" {
							err = db.AuditPerRecord(testdb.System, subjects[i], digests[i])
						} else {
							err = db.AuditPerBatch(testdb.System, strconv.Itoa(i), subjects[i], digests[i])
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					write += time.Since(start)
					start = time.Now()
					last, err := db.AuditDigests(testdb.System)
					if err != nil {
						b.Fatal(err)
					}
					verify += time.Since(start)
					if last[subjects[batches-1][per-1]] != digests[batches-1][per-1] {
						b.Fatal("the last record's digest is not found")
					}
				}
				b.ReportMetric(float64(write.Milliseconds())/float64(b.N*batches), "ms-write/batch")
				b.ReportMetric(float64(verify.Milliseconds())/float64(b.N), "ms-verify/100k")
			})
		}
	}
}
