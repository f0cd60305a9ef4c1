package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// Run on a port node's database, `outbound node list` names the records
// headquarters refused and exits 1; once a supervisor discarded them, 0.
// At headquarters, `node add` twice revokes the first token and says so.
func TestNodeListAndNodeAdd(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn, testdb.Laredo)
		if code, out, errs := run(t, "node", "list", "--db", dsn); code != 0 {
			t.Fatalf("node list with nothing set apart: %d %s %s", code, out, errs)
		}
		at := time.Now().Add(-time.Hour)
		in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: at, EndedAt: at.Add(time.Minute),
			Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.NIIXray}, Trigger: outbound.Routine,
			Officers: []string{"B1"}, Outcome: outbound.NoFinding}
		if res, err := db.RecordInspections(testdb.System, []outbound.Inspection{in}); err != nil || res[0].Status != outbound.Created {
			t.Fatalf("record: %v %v", res, err)
		}
		if err := db.SetApart(testdb.System, 1, &in, "started_at: more than a day in the future"); err != nil {
			t.Fatal(err)
		}
		code, out, _ := run(t, "node", "list", "--db", dsn)
		if code != 1 || !strings.Contains(out, "set apart here: inspection "+in.ID.String()) || !strings.Contains(out, "in the future") {
			t.Fatalf("node list with a set-apart record: exit %d\n%s; want exit 1 naming it with the reason", code, out)
		}
		sup := outbound.WithActor(testdb.System, &outbound.Actor{Name: "sam", Role: outbound.Supervisor, Crossings: []string{"2304"}})
		if _, err := db.ResolveSetApart(sup, outbound.SetApartResolution{Kind: "inspection", ID: in.ID, Resolution: outbound.Discarded, Note: "clock"}); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := run(t, "node", "list", "--db", dsn); code != 0 {
			t.Fatalf("node list after the discard: exit %d\n%s", code, out)
		}

		_, first, _ := run(t, "node", "add", "--db", dsn, "--crossing", "2304")
		if strings.Contains(first, "Revoked") {
			t.Errorf("a new node's token revoked something:\n%s", first)
		}
		code, second, _ := run(t, "node", "add", "--db", dsn, "--crossing", "2304")
		tokens, err := db.FindTokens(testdb.System, "node-2304")
		if err != nil || code != 0 || len(tokens) != 2 || tokens[0].RevokedAt == nil || tokens[1].RevokedAt != nil {
			t.Fatalf("after node add twice: exit %d, %+v, %v; want the first revoked, the second live", code, tokens, err)
		}
		if !strings.Contains(second, "Revoked the node's earlier token "+tokens[0].ID) {
			t.Errorf("node add again does not name the token it revoked:\n%s", second)
		}
	})
}
