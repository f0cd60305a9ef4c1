package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outbound-oss/outbound/web"
	"github.com/prometheus/client_golang/prometheus"
)

// receiver is a local webhook receiver: it answers each post with the
// next status of its script (200 once the script is spent) and keeps
// what it was sent.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	bodies   [][]byte
	got      chan Message
}

func newReceiver(t *testing.T, statuses ...int) (*receiver, string) {
	r := &receiver{statuses: statuses, got: make(chan Message, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, body)
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s with Content-Type %q; want a JSON POST", req.Method, req.Header.Get("Content-Type"))
		}
		w.WriteHeader(status)
		if status == http.StatusOK {
			var m Message
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("the body is not a message: %v\n%s", err, body)
			}
			r.got <- m
		}
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL
}

func (r *receiver) posts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func (r *receiver) body(i int) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[i]
}

// next waits for the next message the receiver accepted.
func (r *receiver) next(t *testing.T) Message {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message arrived")
		return Message{}
	}
}

// fastWebhook is a webhook to url that waits milliseconds between
// attempts, posting until the test ends.
func fastWebhook(t *testing.T, url string, log *slog.Logger) *Webhook {
	t.Helper()
	w, err := NewWebhook(url, log)
	if err != nil {
		t.Fatal(err)
	}
	w.Backoff, w.ExternalURL = time.Millisecond, "https://hq.example.gov"
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go w.Run(ctx)
	return w
}

// A node's set-apart records fire an alert, posted once in
// Alertmanager's shape; when a supervisor settles them it resolves, posted
// once; evaluations in between post nothing.
func TestWebhookPostsFiringThenResolved(t *testing.T) {
	r, url := newReceiver(t)
	w := fastWebhook(t, url, nil)
	e := &Evaluator{}
	node := map[string]string{"node": "node-2304", "crossing": "2304"}
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	step := func(setApart float64) {
		if changes := e.Evaluate(at, []Sample{{Name: web.MetricSyncSetApart, Labels: node, Value: setApart}}); len(changes) > 0 {
			w.Notify(changes)
		}
		at = at.Add(time.Minute)
	}
	step(0)
	step(2)
	step(3) // still firing: nothing new to say
	fired := r.next(t)
	want := map[string]string{"alertname": "OutboundRecordsSetApart", "severity": "warning", "node": "node-2304", "crossing": "2304"}
	if fired.Version != "4" || fired.Status != Firing || fired.Receiver != "outbound" || fired.GroupKey != `{}:{alertname="OutboundRecordsSetApart"}` ||
		len(fired.Alerts) != 1 || fired.GroupLabels["alertname"] != "OutboundRecordsSetApart" || fired.ExternalURL != "https://hq.example.gov" {
		t.Fatalf("firing message: %+v", fired)
	}
	a := fired.Alerts[0]
	if a.Status != Firing || !maps.Equal(a.Labels, want) || !a.StartsAt.Equal(time.Date(2026, 3, 10, 12, 1, 0, 0, time.UTC)) || !a.EndsAt.IsZero() ||
		a.Annotations["summary"] != "Records set apart at port node node-2304 (crossing 2304): 2" || len(a.Fingerprint) != 16 ||
		!maps.Equal(fired.CommonLabels, want) || fired.CommonAnnotations["summary"] != a.Annotations["summary"] {
		t.Fatalf("firing alert: %+v", fired)
	}
	if body := r.body(0); !bytes.Contains(body, []byte(`"endsAt":"0001-01-01T00:00:00Z"`)) {
		t.Errorf("a firing alert's endsAt is not Alertmanager's zero time: %s", body)
	}
	step(0)
	resolved := r.next(t)
	b := resolved.Alerts[0]
	if resolved.Status != Resolved || len(resolved.Alerts) != 1 || b.Status != Resolved || !b.StartsAt.Equal(a.StartsAt) ||
		!b.EndsAt.Equal(time.Date(2026, 3, 10, 12, 3, 0, 0, time.UTC)) || b.Fingerprint != a.Fingerprint {
		t.Fatalf("resolved message: %+v", resolved)
	}
	step(0)
	time.Sleep(50 * time.Millisecond)
	if n := r.posts(); n != 2 {
		t.Errorf("%d posts; want 2: one firing, one resolved", n)
	}
}

// A receiver that fails for a while gets the message once it answers; one
// that keeps failing gets a bounded number of attempts, and one that
// refuses the message (4xx) gets one; either way the next message is
// still delivered.
func TestWebhookRetriesABoundedNumberOfTimes(t *testing.T) {
	var logs logBuffer
	log := logs.logger()
	changes := func(node string) []Alert {
		return (&Evaluator{}).Evaluate(time.Now(), []Sample{{Name: web.MetricSyncNodeStale, Labels: map[string]string{"node": node, "crossing": "2304"}, Value: 1}})
	}
	for _, c := range []struct {
		name      string
		statuses  []int
		delivered bool
		posts     int
	}{
		{"down twice, then up", []int{503, 502}, true, 3},
		{"too many requests", []int{429}, true, 2},
		{"down for good", []int{500, 500, 500, 500, 500}, false, 5},
		{"refused", []int{400}, false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, url := newReceiver(t, c.statuses...)
			w := fastWebhook(t, url, log)
			w.Notify(changes("node-a"))
			w.Notify(changes("node-b"))
			m := r.next(t)
			if c.delivered && m.Alerts[0].Labels["node"] != "node-a" {
				t.Errorf("first delivered: %+v; want node-a's", m.Alerts[0].Labels)
			}
			if !c.delivered {
				if m.Alerts[0].Labels["node"] != "node-b" {
					t.Errorf("first delivered: %+v; want node-b's, node-a's given up", m.Alerts[0].Labels)
				}
			} else {
				r.next(t)
			}
			if got := r.posts(); got != c.posts+1 {
				t.Errorf("%d posts; want %d for the first message and 1 for the second", got, c.posts)
			}
		})
	}
	if !strings.Contains(logs.String(), "message dropped") {
		t.Errorf("a dropped message is not logged:\n%s", logs.String())
	}
}

// Notify never waits: with the receiver stuck, a burst beyond the queue
// is dropped (and logged) rather than held.
func TestNotifyNeverBlocks(t *testing.T) {
	stuck := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stuck }))
	defer srv.Close()
	defer close(stuck)
	var logs logBuffer
	w := fastWebhook(t, srv.URL, logs.logger())
	alert := (&Evaluator{}).Evaluate(time.Now(), []Sample{{Name: web.MetricAuditVerifyOK, Labels: map[string]string{}, Value: 0}})
	done := make(chan struct{})
	go func() {
		for range MaxQueued + 10 {
			w.Notify(alert)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Notify blocked on a stuck receiver")
	}
	if !strings.Contains(logs.String(), "queue is full") {
		t.Errorf("the dropped messages are not logged:\n%s", logs.String())
	}
}

func TestNewWebhookRefusesWhatIsNotAnHTTPURL(t *testing.T) {
	for _, bad := range []string{"", "alerts.example.gov/hook", "ftp://alerts.example.gov/hook", "http://", "https:///hook", "http://[::1"} {
		if _, err := NewWebhook(bad, nil); err == nil || !strings.Contains(err.Error(), "--alert-webhook") {
			t.Errorf("NewWebhook(%q) = %v; want an error naming --alert-webhook", bad, err)
		}
	}
	for _, good := range []string{"http://127.0.0.1:9093/hook", "https://alerts.example.gov/outbound?token=x"} {
		if _, err := NewWebhook(good, nil); err != nil {
			t.Errorf("NewWebhook(%q): %v", good, err)
		}
	}
}

// logBuffer is a log that goroutines write to and the test reads.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// Run evaluates at start and then on every tick of its interval, over a
// registry's metrics, on the clock given (in a synctest bubble, time
// moves only when everything waits).
func TestRunEvaluatesEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		registry := prometheus.NewRegistry()
		ok := prometheus.NewGauge(prometheus.GaugeOpts{Name: web.MetricCheckpointOK, Help: "test"})
		registry.MustRegister(ok)
		ok.Set(0)
		changes := make(chan []Alert, 10)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		go (&Evaluator{}).Run(ctx, registry, time.Minute, nil, func(c []Alert) { changes <- c }, slog.New(slog.DiscardHandler))
		synctest.Wait()
		first := <-changes
		if len(first) != 1 || first[0].Name() != "OutboundAuditCheckpointFailing" || first[0].Status != Firing || !first[0].StartsAt.Equal(start) {
			t.Fatalf("at start: %+v", first)
		}
		ok.Set(1)
		time.Sleep(59 * time.Second)
		synctest.Wait()
		if len(changes) != 0 {
			t.Fatalf("evaluated before the interval: %+v", <-changes)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		second := <-changes
		if len(second) != 1 || second[0].Status != Resolved || !second[0].EndsAt.Equal(start.Add(time.Minute)) {
			t.Fatalf("after a minute: %+v", second)
		}
	})
}
