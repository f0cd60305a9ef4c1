package nodesync_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/internal/testdb"
)

// Headquarters is down while officers record 10,000 inspections at the
// node; when it comes back, it ends up with exactly those, unchanged.
func TestHeadquartersDownWhileTheNodeRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	h := newHQ(t, testdb.SQLite(t))
	hq := h.start(t)
	node := startNode(t, h, "2304", filepath.Join(t.TempDir(), "node.db"), hq.URL)
	hq.stop()

	sent := record(t, node.URL, h.officer["2304"], "2304", 10_000)
	if st := localSync(t, node.URL, h.officer["2304"]); st.QueueDepth != 10_000 || st.ReferenceAge < 0 {
		t.Fatalf("node while headquarters is down: %+v; want 10000 queued and reference data of known age", st)
	}
	hq = h.start(t)
	holdsExactly(t, h, hq.URL, "2304", sent, 2*time.Minute)
	waitFor(t, "the node's queue empties", 30*time.Second, func() (bool, string) {
		st := localSync(t, node.URL, h.officer["2304"])
		return st.QueueDepth == 0 && st.LastError == "", st.LastError
	})
}
