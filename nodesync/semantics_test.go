package nodesync_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
)

// An inspection that reached headquarters straight from a device and the
// node's copy of it, listing its techniques and officers in another order,
// are one record: the push is a replay, no conflict is set apart, and
// headquarters keeps the copy it stored first.
func TestPushOfAReorderedCopyIsAReplay(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		c := upstream(t, hq)

		first := testdb.Sample(t, outbound.InspectionKind, "2304", time.Now()).(*outbound.Inspection)
		if st, err := testdb.Record(testdb.System, hq, first); err != nil || st != outbound.Created {
			t.Fatalf("record at headquarters: %s, %v", st, err)
		}
		copy := *first
		copy.Techniques, copy.Officers = slices.Clone(first.Techniques), slices.Clone(first.Officers)
		slices.Reverse(copy.Techniques)
		slices.Reverse(copy.Officers)
		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		if st, err := testdb.Record(testdb.System, node, &copy); err != nil || st != outbound.Created {
			t.Fatalf("record at the node: %s, %v", st, err)
		}
		rep, err := (&nodesync.Syncer{DB: node, Upstream: c}).Round(context.Background())
		if err != nil || rep.Pending != 0 || rep.Conflicts != 0 || rep.Pushed != 1 {
			t.Fatalf("round: %+v, %v; want the copy pushed as a replay, no conflict", rep, err)
		}
		if kept, err := hq.FindConflicts(testdb.System, ""); err != nil || len(kept) != 0 {
			t.Fatalf("conflicts at headquarters: %+v, %v; want none", kept, err)
		}
		got, err := hq.RecordsByID(testdb.System, outbound.InspectionKind, []uuid.UUID{first.ID})
		if err != nil || len(got) != 1 || got[0].ContentHash() != first.ContentHash() {
			t.Fatalf("headquarters holds %+v, %v; want its first copy, in its order", got, err)
		}
	})
}
