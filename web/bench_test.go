package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

const benchBatch = 1000

// BenchmarkIngest compares recording batches of 1,000 inspections through
// POST /api/v1/inspections (decode, authorize, validate, idempotent insert,
// audit, answer) with raw loops of prepared upserts in one transaction on
// the same driver: "raw" stores the inspections and seizures, "raw+audit"
// also one audit row per inspection, as the API stores. The ratios are the
// cost of the API. Two more measuring sticks (issue #18): "stick" posts the
// same bodies to a server that only decodes the JSON and runs the raw
// upserts, so that the API's own work is what differs; "copy" (PostgreSQL)
// stores the same rows with COPY, PostgreSQL's fastest way in. "sqlite" is the setting served (synchronous=FULL: the
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
		b.Run(name+"/stick", func(b *testing.B) {
			db := testdb.OpenWith(b, mk(b), options[name], testdb.Laredo)
			srv := httptest.NewServer(stick(db))
			defer srv.Close()
			postBodies(b, db, srv.URL, "", benchBatch, func(int) any { return benchInspections() }, 200, false)
		})
		if name == "postgres" {
			b.Run(name+"/copy", func(b *testing.B) {
				db := testdb.OpenWith(b, mk(b), options[name], testdb.Laredo)
				batches := make([][]outbound.Inspection, b.N)
				for i := range batches {
					batches[i] = benchInspections()
				}
				cpu := testdb.CPU(b, db)
				b.ResetTimer()
				for i := range b.N {
					if err := copyInsert(db, batches[i]); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, benchBatch, cpu)
			})
		}
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
				cpu := testdb.CPU(b, db)
				b.ResetTimer()
				for i := range b.N {
					if err := rawInsert(db, batches[i], audit, &seq); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, benchBatch, cpu)
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
// upsert, one transaction; no HTTP, no decoding, no validation, no answers.
func rawInsert(db *sqldb.DB, batch []outbound.Inspection, audit bool, seq *int64) error {
	tx, err := db.SQL().Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(db.Rebind(`INSERT INTO inspections (id, original_id, version, replaces, reason, voided, crossing,
		started_at, ended_at, received_at, local_day, modality, techniques, trigger,
		operation_id, officers, officer_count, outcome, notes, content_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`))
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

// stick is the measuring stick of issue #18: an HTTP handler that decodes
// a batch and upserts it with rawInsert, answering only how many it got.
func stick(db *sqldb.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The decoder the API uses on a clean batch, so that the stick
		// decodes as fast as the API can.
		body, err := io.ReadAll(r.Body)
		var batch []outbound.Inspection
		if err == nil {
			err = jsonv2.Unmarshal(body, &batch)
		}
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if err := rawInsert(db, batch, false, nil); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, `{"stored":%d}`, len(batch))
	})
}

// copyInsert stores the rows rawInsert stores, with COPY, in one
// transaction.
func copyInsert(db *sqldb.DB, batch []outbound.Inspection) error {
	conn, err := db.SQL().Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		ctx := context.Background()
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		now := time.Now().UTC()
		const digest = "0000000000000000000000000000000000000000000000000000000000000000"
		var seizures [][]any
		rows := make([][]any, len(batch))
		for i, in := range batch {
			rows[i] = []any{in.ID, in.ID, 1, nil, "", false, in.Crossing, in.StartedAt, in.EndedAt, now, "2026-03-01",
				string(in.Modality), "interview,visual", string(in.Trigger), nil, "B1234,B5678", 2, string(in.Outcome), in.Notes, digest}
			for n, s := range in.Seizures {
				seizures = append(seizures, []any{in.ID, n, string(s.Category), s.Quantity, s.Unit, s.ValueUSD})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"inspections"}, []string{"id", "original_id", "version", "replaces", "reason",
			"voided", "crossing", "started_at", "ended_at", "received_at", "local_day", "modality", "techniques", "trigger",
			"operation_id", "officers", "officer_count", "outcome", "notes", "content_hash"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy inspections: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seizures"}, []string{"inspection_id", "n", "category", "quantity", "unit", "value_usd"},
			pgx.CopyFromRows(seizures)); err != nil {
			return fmt.Errorf("copy seizures: %w", err)
		}
		return tx.Commit(ctx)
	})
}

// postIngest posts b.N bodies of perBody inspections each to a real server
// over dsn and reports inspections a second; every answer must have the
// status want, and a batch's every item must be created.
func postIngest(b *testing.B, dsn string, opt sqldb.Options, perBody int, body func(i int) any, want int) {
	db := testdb.OpenWith(b, dsn, opt, testdb.Laredo)
	srv := httptest.NewServer(newServer(db).Handler())
	defer srv.Close()
	postBodies(b, db, srv.URL, mustToken(b, db, "sam", outbound.Supervisor, "2304"), perBody, body, want, perBody > 1)
}

// postBodies posts b.N bodies to url's inspections and reports
// inspections a second; with results, each answer must hold a created
// result per item.
func postBodies(b *testing.B, db *sqldb.DB, url, token string, perBody int, body func(i int) any, want int, results bool) {
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i], _ = json.Marshal(body(i))
	}
	cpu := testdb.CPU(b, db)
	b.ResetTimer()
	for i := range b.N {
		req, _ := http.NewRequest("POST", url+"/api/v1/inspections", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != want {
			b.Fatalf("post: %v %v", resp.Status, err)
		}
		if results {
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
	reportRate(b, perBody, cpu)
}

// reportRate reports inspections a second, and the CPU time per
// inspection that this process and PostgreSQL's backends used, the
// steadier figure on a shared machine.
func reportRate(b *testing.B, perOp int, cpu func() (time.Duration, time.Duration)) {
	process, server := cpu()
	n := float64(b.N * perOp)
	b.ReportMetric(n/b.Elapsed().Seconds(), "inspections/s")
	b.ReportMetric(float64(process.Microseconds())/n, "cpu-µs/insp")
	b.ReportMetric(float64(server.Microseconds())/n, "pg-cpu-µs/insp")
}
