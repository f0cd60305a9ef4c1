package nodesync_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// faultyProxy is a TCP proxy between a node and headquarters that
// misbehaves at the byte level: per connection it may cut the request
// midway, cut the answer midway, delay, or deliver the node's bytes to
// headquarters a second time over a new connection.
type faultyProxy struct {
	ln       net.Listener
	upstream string // host:port
	mu       sync.Mutex
	rand     *rand.Rand
	faults   map[string]*atomic.Int64
}

func newFaultyProxy(t *testing.T, upstreamURL string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultyProxy{ln: ln, upstream: strings.TrimPrefix(upstreamURL, "http://"), rand: rand.New(rand.NewPCG(7, 11)),
		faults: map[string]*atomic.Int64{}}
	for _, f := range []string{"cut-request", "cut-answer", "twice", "delay", "pass"} {
		p.faults[f] = &atomic.Int64{}
	}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		var counts []string
		for f, n := range p.faults {
			counts = append(counts, fmt.Sprintf("%s %d", f, n.Load()))
		}
		sort.Strings(counts)
		t.Logf("proxy faults by connection: %s", strings.Join(counts, ", "))
	})
	return "http://" + ln.Addr().String()
}

func (p *faultyProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

// roll picks a connection's fault, its size (bytes to cut after, or
// milliseconds of delay) and its lifetime: links reset, and a connection
// kept alive does not carry every request.
func (p *faultyProxy) roll() (string, int, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	life := time.Duration(20+p.rand.IntN(280)) * time.Millisecond
	switch u := p.rand.Float64(); {
	case u < 0.2:
		return "cut-request", 1 + p.rand.IntN(60_000), life
	case u < 0.4:
		return "cut-answer", 1 + p.rand.IntN(4000), life
	case u < 0.6:
		return "twice", 0, life
	case u < 0.8:
		return "delay", 1 + p.rand.IntN(300), life
	}
	return "pass", 0, life
}

// handle proxies one connection with one fault.
func (p *faultyProxy) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer server.Close()
	fault, n, life := p.roll()
	p.faults[fault].Add(1)
	reset := time.AfterFunc(life, func() { client.Close(); server.Close() })
	defer reset.Stop()
	if fault == "delay" {
		time.Sleep(time.Duration(n) * time.Millisecond)
	}
	var sent bytes.Buffer // what the node sent, for a second delivery
	done := make(chan struct{})
	go func() { // headquarters to node
		defer close(done)
		if fault == "cut-answer" {
			io.CopyN(client, server, int64(n))
			client.Close()
			return
		}
		io.Copy(client, server)
		client.Close()
	}()
	up := io.Writer(server)
	if fault == "twice" {
		up = io.MultiWriter(server, &sent)
	}
	if fault == "cut-request" {
		io.CopyN(up, client, int64(n))
		server.Close()
	} else {
		io.Copy(up, client)
		server.(*net.TCPConn).CloseWrite()
	}
	<-done
	if fault == "twice" && sent.Len() > 0 {
		if again, err := net.Dial("tcp", p.upstream); err == nil {
			again.Write(sent.Bytes())
			again.(*net.TCPConn).CloseWrite()
			io.Copy(io.Discard, again)
			again.Close()
		}
	}
}

// The link cuts requests and answers midway, duplicates and delays;
// headquarters still ends up with each record exactly once.
func TestSyncThroughAFaultyLink(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	h := newHQ(t, testdb.SQLite(t))
	hq := h.start(t)
	db := primedNode(t, h, hq.URL)
	proxy := newFaultyProxy(t, hq.URL)
	node := startNode(t, h, "2304", db, proxy, "--sync-batch", "50")
	sent := record(t, node.URL, h.officer["2304"], "2304", 10_000)
	// The bound is for liveness, not speed: 10,000 records through this
	// link take under a minute on a quiet machine, two or more under load.
	holdsExactly(t, h, hq.URL, "2304", sent, 5*time.Minute)
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
	db := primedNode(t, h, hq.URL)
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
