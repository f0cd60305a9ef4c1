package nodesync_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// Two nodes of two crossings and one headquarters, on SQLite and on
// PostgreSQL: records go up from both, reference data comes down to each,
// and headquarters shows both nodes.
func TestTwoNodesBothDirections(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		h := newHQ(t, dsn)
		hq := h.start(t)
		dir := t.TempDir()
		laredo := startNode(t, h, "2304", filepath.Join(dir, "laredo.db"), hq.URL)
		blaine := startNode(t, h, "3004", filepath.Join(dir, "blaine.db"), hq.URL)

		sentL := record(t, laredo.URL, h.officer["2304"], "2304", 700)
		sentB := record(t, blaine.URL, h.officer["3004"], "3004", 300)
		holdsExactly(t, h, hq.URL, "2304", sentL, time.Minute)
		holdsExactly(t, h, hq.URL, "3004", sentB, time.Minute)

		// A lane rule published at headquarters reaches Laredo's node, whose
		// decision goes up, the same.
		rule := filepath.Join(dir, "lanes.yaml")
		if err := os.WriteFile(rule, []byte("kind: national\nid: lanes\neffective: 2020-01-01\nrules:\n"+
			"  - id: all\n    scope: {}\n    lane_selection: {rate: 0.3, min_random: 0.05}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cli(t, "policy", "publish", "--db", dsn, rule)
		var decided outbound.LaneDecision
		waitFor(t, "the lane rule reaches Laredo's node", 30*time.Second, func() (bool, string) {
			var err error
			res, err := client.New(laredo.URL, h.officer["2304"]).DecideLane(context.Background(),
				outbound.LaneRequest{ID: uuid.New(), Crossing: "2304", Lane: "L1", Modality: outbound.Truck})
			if err == nil {
				decided = *res.Record
			}
			return err == nil && res.Status == outbound.Created, fmt.Sprint(res.Status, err)
		})
		waitFor(t, "headquarters holds the node's lane decision", 30*time.Second, func() (bool, string) {
			got, err := client.New(hq.URL, h.analyst).LaneDecisions(context.Background(), "crossing=2304")
			return err == nil && len(got) == 1 && got[0] == decided, fmt.Sprint(got, err)
		})

		// So does a survey a supervisor records at the node.
		cli(t, "user", "add", "--db", dsn, "--name", "sam", "--role", "supervisor", "--crossing", "2304")
		sam := secret(t, cli(t, "token", "create", "--db", dsn, "--user", "sam"))
		survey := outbound.Survey{ID: uuid.New(), Crossing: "2304", Day: outbound.DateOf(time.Now().UTC()), OutboundLanes: 2,
			Equipment: []outbound.Equipment{}, WiFi: "poor", Cellular: "fair", Mbps: 3, Power: "grid", Hazards: []string{}}
		waitFor(t, "the supervisor records a survey at Laredo's node", 30*time.Second, func() (bool, string) {
			res, err := client.New(laredo.URL, sam).RecordSurveys(context.Background(), []outbound.Survey{survey})
			return err == nil && len(res) == 1 && res[0].Status == outbound.Created, fmt.Sprint(res, err)
		})
		waitFor(t, "headquarters holds the node's survey", 30*time.Second, func() (bool, string) {
			got, err := client.New(hq.URL, h.analyst).Surveys(context.Background(), "crossing=2304")
			return err == nil && len(got) == 1 && got[0].ID == survey.ID && got[0].Mbps == 3, fmt.Sprint(got, err)
		})

		// An officer headquarters adds at Blaine can work at Blaine's node
		// soon after, and not at Laredo's.
		cli(t, "user", "add", "--db", dsn, "--name", "nadia", "--role", "officer", "--crossing", "3004")
		nadia := secret(t, cli(t, "token", "create", "--db", dsn, "--user", "nadia"))
		waitFor(t, "the new officer reaches Blaine's node", 30*time.Second, func() (bool, string) {
			st := status(t, blaine.URL+"/api/v1/crossings", nadia)
			return st == 200, http.StatusText(st)
		})
		if st := status(t, laredo.URL+"/api/v1/crossings", nadia); st != 401 {
			t.Fatalf("Blaine's officer at Laredo's node: %d; want 401", st)
		}
		// A disabled officer stops working at the node too.
		cli(t, "user", "disable", "--db", dsn, "--name", "officer-2304")
		waitFor(t, "the disabled officer is refused at Laredo's node", 30*time.Second, func() (bool, string) {
			st := status(t, laredo.URL+"/api/v1/crossings", h.officer["2304"])
			return st == 401, http.StatusText(st)
		})

		waitFor(t, "headquarters shows both nodes synced", 30*time.Second, func() (bool, string) {
			nodes, err := client.New(hq.URL, h.analyst).Nodes(context.Background())
			ok := err == nil && len(nodes) == 2
			for _, n := range nodes {
				ok = ok && n.QueueDepth == 0 && n.LastError == "" && !n.Stale && n.Schema > 0
			}
			return ok, fmtNodes(nodes, err)
		})
	})
}

func fmtNodes(nodes []outbound.NodeStatus, err error) string {
	var parts []string
	for _, n := range nodes {
		parts = append(parts, n.Name+" queue "+strings.Repeat("|", int(min(n.QueueDepth, 20)))+" "+n.LastError)
	}
	if err != nil {
		parts = append(parts, err.Error())
	}
	return strings.Join(parts, "; ")
}

func status(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A node's credential works for its own crossing only; a node of another
// schema syncs (the protocol decides, testdata/protocol1), and one of a
// newer protocol is told to upgrade headquarters first.
func TestNodeCredentialsAndProtocol(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	h := newHQ(t, testdb.SQLite(t))
	hq := h.start(t)
	token := secret(t, cli(t, "node", "add", "--db", h.dsn, "--crossing", "2304"))
	c := client.New(hq.URL, token)
	at := time.Now().Add(-time.Hour)
	in := outbound.Inspection{ID: uuid.New(), Crossing: "3004", StartedAt: at, EndedAt: at.Add(time.Minute),
		Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.NIIXray}, Trigger: outbound.Routine,
		Officers: []string{"B1"}, Outcome: outbound.NoFinding}
	_, err := c.RecordInspections(context.Background(), []outbound.Inspection{in})
	var he *client.HTTPError
	if !errors.As(err, &he) || he.Status != 403 {
		t.Fatalf("Laredo's node pushes a Blaine inspection: %v; want 403", err)
	}
	c.Schema = 1
	if _, err = c.Reference(context.Background(), 0); err != nil {
		t.Fatalf("a node of an older schema: %v; the protocol decides", err)
	}
	for header, want := range map[string]string{strconv.Itoa(outbound.Protocol + 1): "upgrade headquarters first", "two": "is not a protocol version"} {
		req, _ := http.NewRequest("GET", hq.URL+"/api/v1/sync/reference?cursor=0", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(outbound.HeaderProtocol, header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 400 || !strings.Contains(string(body), want) {
			t.Errorf("protocol %q: %d %s; want a refusal saying %q", header, resp.StatusCode, body, want)
		}
	}
}
