package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

const benchBatch = 1000

// BenchmarkIngest compares recording batches of 1,000 inspections through
// POST /api/v1/inspections (decode, authorize, validate, idempotent insert,
// audit, answer) with raw loops of prepared INSERTs in one transaction on
// the same driver: "raw" stores the inspections and seizures, "raw+audit"
// also one audit row per inspection, as the API stores. The ratios are the
// cost of the API. "sqlite" is the setting served (synchronous=FULL: the
// write-ahead log is synced at every commit); "sqlite-normal" is the same
// with synchronous=NORMAL, so that the price of surviving a power cut is
// measured in the same run; "one" posts a single inspection per request,
// as an officer's phone does, where that price is paid per record.
func BenchmarkIngest(b *testing.B) {
	dsns := map[string]func(testing.TB) string{"sqlite": testdb.SQLite, "sqlite-normal": testdb.SQLite}
	options := map[string]sqldb.Options{"sqlite-normal": {Synchronous: "NORMAL"}}
	if os.Getenv(testdb.EnvPostgres) != "" {
		dsns["postgres"] = testdb.Postgres
	}
	for _, name := range []string{"sqlite", "sqlite-normal", "postgres"} {
		mk, ok := dsns[name]
		if !ok {
			continue
		}
		// One inspection per request answers 201; a batch of 1,000 answers
		// 200 with a result per item, each created.
		b.Run(name+"/one", func(b *testing.B) {
			postIngest(b, mk(b), options[name], 1, func(i int) any { return benchInspections()[i%benchBatch] }, 201)
		})
		b.Run(name+"/api", func(b *testing.B) {
			postIngest(b, mk(b), options[name], benchBatch, func(int) any { return benchInspections() }, 200)
		})
		for _, audit := range []bool{false, true} {
			sub := "/raw"
			if audit {
				sub = "/raw+audit"
			}
			b.Run(name+sub, func(b *testing.B) {
				db := testdb.OpenWith(b, mk(b), options[name], testdb.Laredo)
				batches := make([][]outbound.Inspection, b.N)
				for i := range batches {
					batches[i] = benchInspections()
				}
				seq := int64(1000) // after the setup's entries
				b.ResetTimer()
				for i := range b.N {
					if err := rawInsert(db, batches[i], audit, &seq); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "inspections/s")
			})
		}
	}
}

func benchInspections() []outbound.Inspection {
	start := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	out := make([]outbound.Inspection, benchBatch)
	for i := range out {
		id, _ := uuid.NewV7()
		s := start.Add(time.Duration(i) * time.Minute)
		out[i] = outbound.Inspection{ID: id, Crossing: "2304", StartedAt: s, EndedAt: s.Add(12 * time.Minute),
			Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview, outbound.Visual},
			Trigger: outbound.RandomSelection, Officers: []string{"B1234", "B5678"}, Outcome: outbound.NoFinding,
			Seizures: []outbound.Seizure{}}
		if i%100 == 0 {
			out[i].Outcome = outbound.Seized
			out[i].Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 12000, Unit: "USD", ValueUSD: 12000}}
		}
	}
	return out
}

// rawInsert is the baseline: the same rows and columns, one prepared
// statement, one transaction; no HTTP, no decoding, no validation, no
// idempotency.
func rawInsert(db *sqldb.DB, batch []outbound.Inspection, audit bool, seq *int64) error {
	tx, err := db.SQL().Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(db.Rebind(`INSERT INTO inspections (id, original_id, version, replaces, reason, voided, crossing,
		started_at, ended_at, received_at, local_day, modality, techniques, trigger,
		operation_id, officers, officer_count, outcome, notes, content_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return err
	}
	seizure, err := tx.Prepare(db.Rebind(`INSERT INTO seizures (inspection_id, n, category, quantity, unit, value_usd) VALUES (?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return err
	}
	entry, err := tx.Prepare(db.Rebind(`INSERT INTO audit_log (seq, at, actor, role, action, subject, crossing,
		before_digest, after_digest, hash) VALUES (?, ?, 'sam', 'supervisor', 'inspection.create', ?, '2304', '', ?, ?)`))
	if err != nil {
		return err
	}
	const format = "2006-01-02T15:04:05.000000Z"
	const digest = "0000000000000000000000000000000000000000000000000000000000000000"
	now := time.Now().UTC().Format(format)
	for _, in := range batch {
		id := in.ID.String()
		_, err := stmt.Exec(id, id, 1, nil, "", false, in.Crossing, in.StartedAt.UTC().Format(format), in.EndedAt.UTC().Format(format),
			now, "2026-03-01", string(in.Modality), "interview,visual", string(in.Trigger), nil, "B1234,B5678", 2,
			string(in.Outcome), in.Notes, digest)
		if err != nil {
			return fmt.Errorf("raw insert: %w", err)
		}
		for n, s := range in.Seizures {
			if _, err := seizure.Exec(id, n, string(s.Category), s.Quantity, s.Unit, s.ValueUSD); err != nil {
				return err
			}
		}
		if audit {
			*seq++
			if _, err := entry.Exec(*seq, now, "inspection:"+id, digest, digest); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// postIngest posts b.N bodies of perBody inspections each to a real server
// over dsn and reports inspections a second; every answer must have the
// status want, and a batch's every item must be created.
func postIngest(b *testing.B, dsn string, opt sqldb.Options, perBody int, body func(i int) any, want int) {
	db := testdb.OpenWith(b, dsn, opt, testdb.Laredo)
	srv := httptest.NewServer(newServer(db).Handler())
	defer srv.Close()
	token := mustToken(b, db, "sam", outbound.Supervisor, "2304")
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i], _ = json.Marshal(body(i))
	}
	b.ResetTimer()
	for i := range b.N {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/inspections", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != want {
			b.Fatalf("post: %v %v", resp.Status, err)
		}
		if perBody > 1 {
			var res struct {
				Results []struct {
					Status string
					Error  any
				}
			}
			json.NewDecoder(resp.Body).Decode(&res)
			if len(res.Results) != perBody || res.Results[0].Status != "created" {
				b.Fatalf("batch not created: %+v", res.Results[:min(1, len(res.Results))])
			}
		}
		resp.Body.Close()
	}
	b.ReportMetric(float64(b.N*perBody)/b.Elapsed().Seconds(), "inspections/s")
}
