package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Every kind of client-made record is stored exactly once, loaded by id as
// it was sent, queued for the push exactly when nodes send it, and checked
// row by row by audit verify. The kinds come from outbound.Kinds, so a kind
// added there and forgotten in storage fails here.
func TestEveryKindIsStoredQueuedAndVerified(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		sent := map[outbound.Kind]outbound.Record{}
		for _, k := range outbound.Kinds {
			if sqldb.Table(k) == "" {
				t.Errorf("%s records have no store in sqldb's registry", k.Name)
				continue
			}
			r := testdb.Sample(t, k, "2304", clock)
			for want, try := range []outbound.Status{outbound.Created, outbound.Replayed} {
				if st, err := testdb.Record(ctx, db, r); err != nil || st != try {
					t.Fatalf("record %s (try %d): %s, %v; want %s", k.Name, want+1, st, err, try)
				}
			}
			got, err := db.RecordsByID(ctx, k, []uuid.UUID{uuid.New(), r.RecordID()})
			if err != nil || len(got) != 1 || got[0].RecordKind() != k || got[0].ContentHash() != r.ContentHash() {
				t.Fatalf("load %s by id: %+v, %v; want the record sent", k.Name, got, err)
			}
			sent[k] = r
		}

		pending, err := db.PendingRecords(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		queued := map[string]bool{}
		for _, p := range pending {
			queued[p.Kind+":"+p.ID.String()] = true
		}
		for k, r := range sent {
			if q := queued[k.Name+":"+r.RecordID().String()]; q != k.FromNodes {
				t.Errorf("%s queued for the push: %v; nodes send them: %v", k.Name, q, k.FromNodes)
			}
		}

		if rep, err := db.VerifyAudit(ctx, nil, nil); err != nil || len(rep.Problems) != 0 {
			t.Fatalf("verify before tampering: %v %v", rep.Problems, err)
		}
		// An insider moves every record to another id: the log names the
		// new id as written around the application, the old as removed.
		var want []string
		for k, r := range sent {
			moved := uuid.New()
			mustExec(t, db, `DELETE FROM seizures WHERE inspection_id = ?`, r.RecordID().String())
			mustExec(t, db, `UPDATE `+sqldb.Table(k)+` SET id = ? WHERE id = ?`, moved.String(), r.RecordID().String())
			want = append(want,
				fmt.Sprintf("%s:%s is not in the audit log", k.Name, moved),
				fmt.Sprintf("%s:%s is in the audit log but no longer in the database", k.Name, r.RecordID()))
		}
		rep, err := db.VerifyAudit(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.HasPrefix(p, w) }) {
				t.Errorf("verify does not say %q; it says:\n%s", w, strings.Join(rep.Problems, "\n"))
			}
		}
	})
}
