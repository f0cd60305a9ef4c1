package sqldb_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// statementCounter counts what a connection sends PostgreSQL and waits
// for: every statement (begin and commit included), and every statement
// pgx prepares because its connection had not prepared it yet.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *statementCounter) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	return ctx
}

func (c *statementCounter) TracePrepareEnd(_ context.Context, _ *pgx.Conn, d pgx.TracePrepareEndData) {
	if !d.AlreadyPrepared {
		c.n.Add(1)
	}
}

// TestBatchRoundTripsDoNotGrowWithTheBatch records batches of 10 and of
// 1,000 inspections on PostgreSQL and counts the statements each sends:
// new inspections with seizures at two crossings over several days (so
// the rollups and the audit log take many rows), identical replays, and
// edits of stored versions. Each batch of 1,000 must send exactly as many
// as the batch of 10, with every answer as it was.
func TestBatchRoundTripsDoNotGrowWithTheBatch(t *testing.T) {
	counter := &statementCounter{}
	db := testdb.OpenWith(t, testdb.Postgres(t), sqldb.Options{Tracer: counter}, testdb.Laredo, testdb.Blaine)
	db.Now = func() time.Time { return clock }
	// One connection: the statements it has prepared are the ones counted
	// as prepared.
	db.SQL().SetMaxOpenConns(1)

	count := func(batch []outbound.Inspection, want outbound.Status) int64 {
		t.Helper()
		before := counter.n.Load()
		res, err := db.RecordInspections(testdb.System, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Status != want {
				t.Fatalf("item %d of %d: %s (%v); want %s", i, len(batch), r.Status, r.Err, want)
			}
		}
		return counter.n.Load() - before
	}
	fresh := func(n int) []outbound.Inspection {
		batch := make([]outbound.Inspection, n)
		for i := range batch {
			batch[i] = inspection(time.Date(2026, 2, 1+i%20, 6+i%12, i%60, 0, 0, time.UTC))
			if i%2 == 1 {
				batch[i].Crossing = testdb.Blaine.Code
			}
			if i%10 == 0 {
				batch[i].Outcome = outbound.Seized
				batch[i].Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 9000, Unit: "USD", ValueUSD: 9000},
					{Category: outbound.Firearms, Quantity: 1, Unit: "each", ValueUSD: 800}}
			}
		}
		return batch
	}
	edits := func(stored []outbound.Inspection) []outbound.Inspection {
		batch := make([]outbound.Inspection, len(stored))
		for i, v := range stored {
			e := v
			e.ID, e.Replaces, e.Reason, e.Modality = uuid.New(), &stored[i].ID, "modality corrected", outbound.Truck
			batch[i] = e
		}
		return batch
	}
	statements := func(n int) (created, replayed, edited int64) {
		batch := fresh(n)
		created = count(batch, outbound.Created)
		replayed = count(batch, outbound.Replayed)
		edited = count(edits(batch), outbound.Created)
		return
	}
	statements(3) // prepares every statement on the connection
	c10, r10, e10 := statements(10)
	c1000, r1000, e1000 := statements(1000)
	t.Logf("statements per batch of 10 and of 1,000: created %d, %d; replayed %d, %d; edited %d, %d", c10, c1000, r10, r1000, e10, e1000)
	if c10 != c1000 || r10 != r1000 || e10 != e1000 {
		t.Errorf("a batch of 1,000 sent more statements than a batch of 10: created %d against %d, replayed %d against %d, edited %d against %d",
			c1000, c10, r1000, r10, e1000, e10)
	}
	// The rollups kept batch by batch are those recomputed from the rows.
	kept, err := db.Rollups(testdb.System, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RebuildRollups(testdb.System); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := db.Rollups(testdb.System, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != len(rebuilt) {
		t.Fatalf("%d rollup rows kept; %d rebuilt", len(kept), len(rebuilt))
	}
	for i := range kept {
		if kept[i] != rebuilt[i] {
			t.Fatalf("rollup row %d kept %+v; rebuilt %+v", i, kept[i], rebuilt[i])
		}
	}
}
