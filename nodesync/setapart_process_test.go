package nodesync_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// The real binary, as an operator meets it: headquarters (on PostgreSQL
// when OUTBOUND_TEST_POSTGRES is set) is down while officers record 1,000
// good inspections and poisoned ones at a port node: one that
// headquarters' database refuses by a rule of its own, and, with
// headquarters on PostgreSQL, one with a NUL byte in its notes, which
// PostgreSQL cannot hold (unless the node already refuses it when
// recorded). When headquarters comes up, all
// 1,000 arrive, the node's queue empties, the poisoned ones are set apart
// and named with headquarters' reasons at GET /api/v1/sync, and
// `outbound node list` at headquarters names them and exits 1. Issuing the
// node's token again revokes the earlier one, and says so.
func TestPoisonedRecordsAtARealNode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		h := newHQ(t, dsn)
		db, err := sqldb.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		refusePoison(t, db)
		db.Close()
		hq := h.start(t)
		node := startNode(t, h, "2304", filepath.Join(t.TempDir(), "node.db"), hq.URL)
		hq.stop()

		officer := h.officer["2304"]
		sent := record(t, node.URL, officer, "2304", 1000)
		c := client.New(node.URL, officer)
		at := time.Now().Add(-time.Hour)
		poison := func(notes string) (uuid.UUID, outbound.Status) {
			in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: at, EndedAt: at.Add(time.Minute),
				Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.NIIXray}, Trigger: outbound.Routine,
				Officers: []string{"B1"}, Outcome: outbound.NoFinding, Notes: notes}
			res, err := c.RecordInspections(context.Background(), []outbound.Inspection{in})
			if err != nil {
				t.Fatal(err)
			}
			return in.ID, res[0].Status
		}
		refused := map[uuid.UUID]string{}
		if id, st := poison("poison"); st != outbound.Created {
			t.Fatalf("the poisoned inspection at the node: %s", st)
		} else {
			refused[id] = "poison refused at headquarters"
		}
		if strings.HasPrefix(dsn, "postgres") { // SQLite holds a NUL byte
			if id, st := poison("lane 3\x00"); st == outbound.Created {
				refused[id] = "" // headquarters' reason depends on its database
			}
		}
		if st := localSync(t, node.URL, officer); st.QueueDepth != int64(1000+len(refused)) {
			t.Fatalf("node while headquarters is down: %+v", st)
		}

		hq = h.start(t)
		holdsExactly(t, h, hq.URL, "2304", sent, 2*time.Minute)
		var st outbound.LocalSync
		waitFor(t, "the node's queue empties, the poisoned set apart", 30*time.Second, func() (bool, string) {
			st = localSync(t, node.URL, officer)
			return st.QueueDepth == 0 && len(st.SetApart) == len(refused), st.LastError
		})
		for _, sa := range st.SetApart {
			reason, ok := refused[sa.ID]
			if !ok || sa.Reason == "" || !strings.Contains(sa.Reason, reason) {
				t.Errorf("set apart: %+v; want one of %v, with headquarters' reason", sa, refused)
			}
		}
		waitFor(t, "headquarters hears of them", 30*time.Second, func() (bool, string) {
			nodes, err := client.New(hq.URL, h.analyst).Nodes(context.Background())
			return err == nil && len(nodes) > 0 && nodes[0].SetApartCount == int64(len(refused)), fmtNodes(nodes, err)
		})
		out, err := exec.Command(bin, "node", "list", "--db", h.dsn).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("node list with set-apart records: %v; want exit 1\n%s", err, out)
		}
		for id := range refused {
			if !strings.Contains(string(out), id.String()) {
				t.Errorf("node list does not name %s:\n%s", id, out)
			}
		}

		// The node's token issued again: the earlier one stops working.
		earlier, _ := os.ReadFile(h.node["2304"])
		again := cli(t, "node", "add", "--db", h.dsn, "--crossing", "2304")
		if !strings.Contains(again, "Revoked the node's earlier token") {
			t.Errorf("node add again does not say it revoked the earlier token:\n%s", again)
		}
		_, err = client.New(hq.URL, strings.TrimSpace(string(earlier))).Reference(context.Background(), 0)
		var he *client.HTTPError
		if !errors.As(err, &he) || he.Status != 401 {
			t.Errorf("the earlier token after node add: %v; want 401", err)
		}
		if _, err := client.New(hq.URL, secret(t, again)).Reference(context.Background(), 0); err != nil {
			t.Errorf("the new token: %v", err)
		}
	})
}
