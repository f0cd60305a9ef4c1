package nodesync_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/web"
)

// fixture is one request a port node made, as testdata/protocol1 keeps
// them: recorded from a node of the release before protocol 2 (its sync
// round after recording one record of each kind), without its token.
type fixture struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Header map[string]string `json:"header"`
	Body   json.RawMessage   `json:"body"`
}

// replay sends the fixtures of dir to url with token, in order, and
// returns each answer's status and body.
func replay(t *testing.T, dir, url, token string) (statuses []int, bodies []string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx fixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		req, _ := http.NewRequest(fx.Method, url+fx.Path, bytes.NewReader(fx.Body))
		for k, v := range fx.Header {
			req.Header.Set(k, v)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses, bodies = append(statuses, resp.StatusCode), append(bodies, filepath.Base(f)+": "+string(body))
	}
	return statuses, bodies
}

// A port node one sync protocol behind syncs with headquarters of this
// build: every record it sends is stored, and the node list says to
// upgrade it soon. Headquarters of the next protocol refuses it, saying
// to upgrade the node.
func TestANodeOneProtocolBehindSyncs(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		c := upstream(t, hq)
		statuses, bodies := replay(t, "testdata/protocol1", c.URL, c.Token)
		for i, st := range statuses {
			if st >= 300 || strings.Contains(bodies[i], `"invalid"`) || strings.Contains(bodies[i], `"conflict"`) {
				t.Errorf("protocol 1 request %s answered %d", bodies[i], st)
			}
		}
		created := 0
		for _, b := range bodies {
			created += strings.Count(b, `"status":"created"`)
		}
		want := 0
		for _, k := range outbound.Kinds {
			if k.FromNodes {
				want++
			}
		}
		if created != want {
			t.Errorf("%d records created from the protocol 1 node; want %d, one of each kind nodes send", created, want)
		}
		nodes, err := hq.FindNodes(testdb.System, time.Hour)
		if err != nil || len(nodes) != 1 {
			t.Fatalf("nodes: %+v %v", nodes, err)
		}
		if note, refused := nodes[0].Upgrade(); nodes[0].Protocol != 1 || refused || !strings.Contains(note, "upgrade soon") {
			t.Fatalf("the node list says of a protocol 1 node: protocol %d, %q, refused %v", nodes[0].Protocol, note, refused)
		}
		if !testing.Short() {
			if out := cli(t, "node", "list", "--db", dsn); !strings.Contains(out, "upgrade soon: sync protocol 1") {
				t.Errorf("outbound node list does not say to upgrade the protocol 1 node:\n%s", out)
			}
		}

		next := httptest.NewServer((&web.Server{Crossings: hq, Inspections: hq, Staffing: hq, Exits: hq, Surveys: hq, Lanes: hq,
			Funding: hq, Accounts: hq, Audit: hq, Sync: hq, Ping: hq.Ping, MinProtocol: outbound.Protocol}).Handler())
		defer next.Close()
		statuses, bodies = replay(t, "testdata/protocol1", next.URL, c.Token)
		for i, st := range statuses {
			if st != http.StatusConflict || !strings.Contains(bodies[i], "upgrade the node") {
				t.Errorf("headquarters of the next protocol answered %d to %s; want 409 saying to upgrade the node", st, bodies[i])
			}
		}
	})
}
