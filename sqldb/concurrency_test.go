package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Retries and double taps arrive at the same time; the unique keys, not a
// check before the insert, decide.
func TestConcurrentReplaysAndEditsStoreOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		v1 := inspection(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
		const n = 8
		statuses := race(t, n, func(int) outbound.Inspection { return v1 }, db)
		if statuses[outbound.Created] != 1 || statuses[outbound.Replayed] != n-1 {
			t.Fatalf("%d concurrent posts of one inspection: %v; want 1 created, the rest replayed", n, statuses)
		}
		statuses = race(t, n, func(int) outbound.Inspection {
			edit := v1
			edit.ID, edit.Replaces, edit.Reason = uuid.New(), &v1.ID, "edited on two devices at once"
			return edit
		}, db)
		if statuses[outbound.Created] != 1 || statuses[outbound.Conflict] != n-1 {
			t.Fatalf("%d concurrent edits of one version: %v; want 1 created, the rest stale", n, statuses)
		}
		list, _, err := db.FindInspections(ctx, outbound.InspectionFilter{})
		if err != nil || len(list) != 1 || list[0].Version != 2 {
			t.Fatalf("current versions = %+v, %v; want the one edit", list, err)
		}
	})
}

func race(t *testing.T, n int, make func(int) outbound.Inspection, db *sqldb.DB) map[outbound.Status]int {
	t.Helper()
	var mu sync.Mutex
	statuses := map[outbound.Status]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := db.RecordInspections(testdb.System, []outbound.Inspection{make(i)})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("record: %v", err)
				return
			}
			statuses[res[0].Status]++
		})
	}
	wg.Wait()
	return statuses
}

// Two batches holding the same ids in opposite orders make PostgreSQL pick
// a deadlock victim; the victim's transaction is run again, and every item
// ends stored once.
func TestCrossedBatchesBothSucceed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)
		var batch []outbound.Inspection
		for i := range 200 {
			batch = append(batch, inspection(start.Add(time.Duration(i)*time.Minute)))
		}
		reversed := make([]outbound.Inspection, len(batch))
		for i, in := range batch {
			reversed[len(batch)-1-i] = in
		}
		var wg sync.WaitGroup
		for _, b := range [][]outbound.Inspection{batch, reversed, batch, reversed} {
			wg.Go(func() {
				if _, err := db.RecordInspections(testdb.System, b); err != nil {
					t.Errorf("record: %v", err)
				}
			})
		}
		wg.Wait()
		list, _, err := db.FindInspections(testdb.System, outbound.InspectionFilter{Filter: outbound.Filter{Limit: 1000}})
		if err != nil || len(list) != len(batch) {
			t.Fatalf("stored %d inspections, %v; want %d", len(list), err, len(batch))
		}
	})
}
