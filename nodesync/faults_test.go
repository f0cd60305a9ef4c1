package nodesync_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// faultyProxy stands between a node and headquarters and misbehaves: it
// drops requests before delivering them, cuts answers off midway, delivers
// requests twice, and delays.
type faultyProxy struct {
	upstream string
	mu       sync.Mutex
	rand     *rand.Rand
	faults   map[string]*atomic.Int64
}

func newFaultyProxy(t *testing.T, upstream string) *httptest.Server {
	p := &faultyProxy{upstream: upstream, rand: rand.New(rand.NewPCG(7, 11)), faults: map[string]*atomic.Int64{}}
	for _, f := range []string{"drop", "cut", "twice", "delay", "pass"} {
		p.faults[f] = &atomic.Int64{}
	}
	srv := httptest.NewServer(p)
	t.Cleanup(func() {
		srv.Close()
		t.Logf("proxy faults: drop %d, cut %d, twice %d, delay %d, pass %d", p.faults["drop"].Load(),
			p.faults["cut"].Load(), p.faults["twice"].Load(), p.faults["delay"].Load(), p.faults["pass"].Load())
	})
	return srv
}

func (p *faultyProxy) roll() (float64, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rand.Float64(), time.Duration(p.rand.IntN(300)) * time.Millisecond
}

func (p *faultyProxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	req, _ := http.NewRequest(r.Method, p.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func (p *faultyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	u, delay := p.roll()
	fault := "pass"
	switch {
	case u < 0.15:
		fault = "drop"
	case u < 0.30:
		fault = "cut"
	case u < 0.45:
		fault = "twice"
	case u < 0.60:
		fault = "delay"
	}
	p.faults[fault].Add(1)
	switch fault {
	case "drop": // lost on the way: headquarters never sees it
		hangUp(w)
		return
	case "twice": // delivered twice: the first answer is lost
		p.forward(r, body)
	case "delay":
		time.Sleep(delay)
	}
	resp, b, err := p.forward(r, body)
	if err != nil {
		hangUp(w)
		return
	}
	if fault == "cut" { // headquarters did the work; the answer is cut off
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
			buf.Write(b[:len(b)/2])
			buf.Flush()
			conn.Close()
		}
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(b)
}

// The link drops, cuts, duplicates and delays; headquarters still ends up
// with each record exactly once.
func TestSyncThroughAFaultyLink(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	h := newHQ(t, testdb.SQLite(t))
	hq := h.start(t)
	// The node's first start needs its reference data: once straight.
	db := filepath.Join(t.TempDir(), "node.db")
	startNode(t, h, "2304", db, hq.URL).stop()
	proxy := newFaultyProxy(t, hq.URL)
	node := startNode(t, h, "2304", db, proxy.URL, "--sync-batch", "50")
	sent := record(t, node.URL, h.officer["2304"], "2304", 3000)
	holdsExactly(t, h, hq.URL, "2304", sent, 2*time.Minute)
}

// The node is killed with SIGKILL again and again in the middle of pushing
// a large backlog; headquarters still ends up with each record once, and
// both audit logs verify.
func TestNodeKilledDuringPush(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	h := newHQ(t, testdb.SQLite(t))
	hq := h.start(t)
	db := filepath.Join(t.TempDir(), "node.db")
	startNode(t, h, "2304", db, hq.URL).stop()
	hq.stop()
	node := startNode(t, h, "2304", db, "http://"+freeAddr(t)) // nobody there: everything queues
	sent := record(t, node.URL, h.officer["2304"], "2304", 20_000)
	node.stop()

	hq = h.start(t)
	r := rand.New(rand.NewPCG(3, 5))
	for range 8 {
		node = startNode(t, h, "2304", db, hq.URL)
		time.Sleep(time.Duration(50+r.IntN(450)) * time.Millisecond)
		node.cmd.Process.Signal(syscall.SIGKILL)
		<-node.done
		got, _ := client.New(hq.URL, h.analyst).Inspections(context.Background(), "crossing=2304")
		t.Logf("killed the node with %d of %d inspections at headquarters", len(got), len(sent))
	}
	node = startNode(t, h, "2304", db, hq.URL)
	holdsExactly(t, h, hq.URL, "2304", sent, 2*time.Minute)
	node.stop()
	hq.stop()
	for _, dsn := range []string{db, h.dsn} {
		if out, err := exec.Command(bin, "audit", "verify", "--db", dsn).CombinedOutput(); err != nil {
			t.Fatalf("audit verify %s after the kills: %v\n%s", dsn, err, out)
		}
	}
}
