package nodesync_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// bin is the outbound binary these tests run as real processes.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "outbound-sync-test")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "outbound")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/outbound").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build outbound: %v\n%s", err, out)
		os.Exit(1)
	}
	code := testdb.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs a command to completion and returns its output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("outbound %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// secret returns the obt_ token a command printed.
func secret(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "obt_") {
			return line
		}
	}
	t.Fatalf("no token in %q", out)
	return ""
}

// proc is a running outbound server.
type proc struct {
	cmd  *exec.Cmd
	URL  string
	mu   sync.Mutex
	logs bytes.Buffer
	done chan struct{}
}

// start runs outbound with args until it says where it serves.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	stdout, _ := p.cmd.StdoutPipe()
	p.cmd.Stderr = writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.logs.Write(b)
	})
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), " database on "); ok {
				urls <- url
			}
		}
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	select {
	case p.URL = <-urls:
		return p
	case <-p.done:
		t.Fatalf("outbound %s exited: %s", strings.Join(args, " "), p.Logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("outbound %s did not start: %s", strings.Join(args, " "), p.Logs())
	}
	return nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// Logs returns what the process wrote on stderr.
func (p *proc) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stop ends the process gracefully.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
}

// kill ends the process with SIGKILL: no chance to clean up.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// freeAddr returns a loopback address nobody listens on, for a server that
// must come back at the same address after a restart.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// hq is headquarters' database with the accounts the tests use.
type hq struct {
	dsn, addr string
	node      map[string]string // token files of the nodes, by crossing
	officer   map[string]string // tokens of an officer, by crossing
	analyst   string
}

// newHQ prepares headquarters' database: Laredo (2304) and Blaine (3004),
// a node and an officer for each, an analyst.
func newHQ(t *testing.T, dsn string) *hq {
	t.Helper()
	dir := t.TempDir()
	h := &hq{dsn: dsn, addr: freeAddr(t), node: map[string]string{}, officer: map[string]string{}}
	cli(t, "import", "bts", "--db", dsn, "../cmd/outbound/testdata/ports.csv")
	for _, c := range []string{"2304", "3004"} {
		h.node[c] = filepath.Join(dir, "node-"+c+".token")
		os.WriteFile(h.node[c], []byte(secret(t, cli(t, "node", "add", "--db", dsn, "--crossing", c))+"\n"), 0o600)
		cli(t, "user", "add", "--db", dsn, "--name", "officer-"+c, "--role", "officer", "--crossing", c)
		h.officer[c] = secret(t, cli(t, "token", "create", "--db", dsn, "--user", "officer-"+c))
	}
	cli(t, "user", "add", "--db", dsn, "--name", "hana", "--role", "hq_analyst")
	h.analyst = secret(t, cli(t, "token", "create", "--db", dsn, "--user", "hana"))
	return h
}

func (h *hq) start(t *testing.T) *proc {
	return start(t, "serve", "--db", h.dsn, "--addr", h.addr)
}

// startNode runs a port node for crossing that syncs with upstream.
func startNode(t *testing.T, h *hq, crossing, db, upstream string, more ...string) *proc {
	return start(t, append([]string{"serve", "--role", "port", "--crossing", crossing, "--db", db, "--addr", "127.0.0.1:0",
		"--upstream", upstream, "--upstream-token-file", h.node[crossing], "--sync-every", "200ms", "--sync-backoff-max", "1s"}, more...)...)
}

// primedNode returns the database of a Laredo node that has had its
// reference data from headquarters once, straight: a new node needs it
// before it can start offline or behind a faulty link.
func primedNode(t *testing.T, h *hq, hqURL string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "node.db")
	startNode(t, h, "2304", db, hqURL).stop()
	return db
}

// record posts n inspections at crossing to a server, in batches, and
// returns their content hashes by id.
func record(t *testing.T, url, token, crossing string, n int) map[uuid.UUID]string {
	t.Helper()
	c := client.New(url, token)
	sent := map[uuid.UUID]string{}
	base := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	for start := 0; start < n; start += 1000 {
		var batch []outbound.Inspection
		for i := start; i < min(start+1000, n); i++ {
			id, _ := uuid.NewV7()
			at := base.Add(time.Duration(i) * time.Second)
			in := outbound.Inspection{ID: id, Crossing: crossing, StartedAt: at, EndedAt: at.Add(9 * time.Minute),
				Modality: outbound.Modalities[i%5], Techniques: []outbound.Technique{outbound.Interview},
				Trigger: outbound.RandomSelection, Officers: []string{fmt.Sprintf("B%d", i%40)}, Outcome: outbound.NoFinding,
				Notes: fmt.Sprintf("inspection %d", i)}
			if i%97 == 0 {
				in.Outcome = outbound.Seized
				in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: float64(1000 + i), Unit: "USD", ValueUSD: float64(1000 + i)}}
			}
			batch = append(batch, in)
			sent[id] = in.ContentHash()
		}
		res, err := c.RecordInspections(context.Background(), batch)
		if err != nil {
			t.Fatalf("record at %s: %v", url, err)
		}
		for _, r := range res {
			if r.Status != outbound.Created {
				t.Fatalf("record at %s: %+v", url, r)
			}
		}
	}
	return sent
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s (%s)", what, limit, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// holdsExactly waits until headquarters holds exactly the sent inspections
// at crossing, with the same content, and no others.
func holdsExactly(t *testing.T, h *hq, url, crossing string, sent map[uuid.UUID]string, limit time.Duration) {
	t.Helper()
	c := client.New(url, h.analyst)
	var got []outbound.Inspection
	waitFor(t, "headquarters holds every inspection", limit, func() (bool, string) {
		var err error
		got, err = c.Inspections(context.Background(), "crossing="+crossing)
		return err == nil && len(got) >= len(sent), fmt.Sprintf("%d of %d, %v", len(got), len(sent), err)
	})
	if len(got) != len(sent) {
		t.Fatalf("headquarters holds %d inspections at %s; want exactly %d", len(got), crossing, len(sent))
	}
	seen := map[uuid.UUID]bool{}
	for _, in := range got {
		want, ok := sent[in.ID]
		switch {
		case !ok:
			t.Fatalf("headquarters holds %s, which was never sent", in.ID)
		case seen[in.ID]:
			t.Fatalf("headquarters holds %s twice", in.ID)
		case in.ContentHash() != want:
			t.Fatalf("headquarters' copy of %s differs from what the officer recorded", in.ID)
		}
		seen[in.ID] = true
	}
}

// localSync reads a node's own sync state.
func localSync(t *testing.T, url, token string) outbound.LocalSync {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/v1/sync", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st outbound.LocalSync
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &st); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/sync: %d %s", resp.StatusCode, b)
	}
	return st
}
