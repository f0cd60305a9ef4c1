package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/alert"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// metricsOf reads a server's /metrics as Prometheus would.
func metricsOf(t *testing.T, url string) []alert.Sample {
	t.Helper()
	samples, err := alert.Scrape(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// waitForMetric polls /metrics until the unlabelled metric is served, and
// returns its value.
func waitForMetric(t *testing.T, url, name string) float64 {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range metricsOf(t, url) {
			if s.Name == name && len(s.Labels) == 0 {
				return s.Value
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/metrics never served %s", name)
	return 0
}

// alertReceiver is a local webhook receiver; it keeps every alert of
// every message it is sent.
type alertReceiver struct {
	mu     sync.Mutex
	alerts []alert.WireAlert
}

func newAlertReceiver(t *testing.T) (string, *alertReceiver) {
	r := &alertReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var m alert.Message
		if err := json.Unmarshal(body, &m); err != nil || m.Version != "4" {
			t.Errorf("the webhook posted %s (%v); want Alertmanager's payload", body, err)
		}
		r.mu.Lock()
		r.alerts = append(r.alerts, m.Alerts...)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv.URL, r
}

// waitFor waits for the receiver to have got the alert in that status.
func (r *alertReceiver) waitFor(t *testing.T, name, status string) alert.WireAlert {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		i := slices.IndexFunc(r.alerts, func(a alert.WireAlert) bool { return a.Labels["alertname"] == name && a.Status == status })
		var a alert.WireAlert
		if i >= 0 {
			a = r.alerts[i]
		}
		r.mu.Unlock()
		if i >= 0 {
			return a
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the webhook never posted %s %s", name, status)
	return alert.WireAlert{}
}

// `outbound serve` verifies the audit log and signs checkpoints on its
// timers and says how they went at /metrics: all well on a clean
// database; after a direct edit of a record and with the checkpoint table
// refusing rows, verify and checkpoint failing, posted to the webhook as
// they fire, and a record refused at the API posted too.
func TestServeWatchesTheAuditLogAndPostsAlerts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		key := filepath.Join(dir, "audit.key")
		run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
		run(t, "import", "staffing", "--db", dsn, "testdata/staffing.csv")
		run(t, "audit", "keygen", "--out", key)
		officer := mustTokenCLI(t, dsn, "olga", "officer", "2304")

		url, stop := serve(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--audit-key", key)
		if ok := waitForMetric(t, url, "outbound_audit_verify_ok"); ok != 1 {
			t.Errorf("a clean database: outbound_audit_verify_ok = %v; want 1", ok)
		}
		if ok := waitForMetric(t, url, "outbound_audit_checkpoint_ok"); ok != 1 {
			t.Errorf("a clean database: outbound_audit_checkpoint_ok = %v; want 1", ok)
		}
		stop()

		db := testdb.Open(t, dsn)
		if _, err := db.SQL().Exec(`UPDATE staffing SET hours_diverted = 0, diversion_reason = ''`); err != nil {
			t.Fatal(err)
		}
		refuse := []string{`CREATE TRIGGER refuse_checkpoints BEFORE INSERT ON audit_checkpoints
			BEGIN SELECT RAISE(ABORT, 'checkpoints refused'); END`}
		if db.Dialect() == "postgres" {
			refuse = []string{`CREATE FUNCTION refuse_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'checkpoints refused'; END $$`,
				`CREATE TRIGGER refuse_checkpoints BEFORE INSERT ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_checkpoints()`}
		}
		for _, q := range refuse {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		// The head moves on, so that there is a new head to sign.
		if code, _, errs := run(t, "import", "exits", "--db", dsn, "testdata/exits.csv"); code != 0 {
			t.Fatal(errs)
		}

		hook, got := newAlertReceiver(t)
		url, stop = serve(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--audit-key", key,
			"--alert-webhook", hook, "--alert-every", "100ms")
		defer stop()
		verify := got.waitFor(t, "OutboundAuditVerifyFailing", alert.Firing)
		if verify.Labels["severity"] != "critical" || verify.Labels["instance"] == "" || verify.Annotations["summary"] != "The audit log does not verify" {
			t.Errorf("verify's alert: %+v", verify)
		}
		got.waitFor(t, "OutboundAuditCheckpointFailing", alert.Firing)
		samples := metricsOf(t, url)
		for name, want := range map[string]func(float64) bool{
			"outbound_audit_verify_ok":       func(v float64) bool { return v == 0 },
			"outbound_audit_verify_problems": func(v float64) bool { return v >= 1 },
			"outbound_audit_checkpoint_ok":   func(v float64) bool { return v == 0 },
		} {
			if i := slices.IndexFunc(samples, func(s alert.Sample) bool { return s.Name == name }); i < 0 {
				t.Errorf("after the edit, /metrics lacks %s", name)
			} else if !want(samples[i].Value) {
				t.Errorf("after the edit, /metrics has %s = %v", name, samples[i].Value)
			}
		}

		req, _ := http.NewRequest("POST", url+"/api/v1/inspections", strings.NewReader(`{"crossing": "2304"}`))
		req.Header.Set("Authorization", "Bearer "+officer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("an invalid inspection: %d; want 400", resp.StatusCode)
		}
		refused := got.waitFor(t, "OutboundIngestRefused", alert.Firing)
		if refused.Labels["kind"] != "inspection" || refused.Labels["reason"] != "invalid" {
			t.Errorf("the refusal's alert: %+v", refused)
		}
	})
}

func TestServeRefusesABadAlertWebhook(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "never.db")
	for _, c := range []struct{ args, want string }{
		{"--alert-webhook ftp://alerts.example.gov/hook", `--alert-webhook "ftp://alerts.example.gov/hook" is not an http:// or https:// URL`},
		{"--alert-webhook alerts.example.gov", `--alert-webhook "alerts.example.gov" is not an http:// or https:// URL`},
		{"--alert-every 10ms", "--alert-every must be at least 100ms"},
		{"--verify-every 1s", "--verify-every must be 0 (never) or at least 1m"},
		{"--verify-sample -1", "--verify-sample must be 0"},
		{"--verify-public-key abc", "--verify-public-key: the public key must be 32 bytes in hex"},
	} {
		code, _, stderr := run(t, append([]string{"serve", "--db", dsn}, strings.Fields(c.args)...)...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("serve %s: exit %d, %q; want 2 and one line saying %s", c.args, code, stderr, c.want)
		}
	}
}

// After the signing key is rotated, the server's verify takes the old
// public key beside the new key's, or it reports every checkpoint the old
// key signed.
func TestServeVerifiesCheckpointsOfARotatedKey(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "rotated.db")
	old, current := filepath.Join(dir, "old.key"), filepath.Join(dir, "new.key")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	_, out, _ := run(t, "audit", "keygen", "--out", old)
	oldPub := strings.TrimSpace(out[strings.Index(out, "public key: ")+len("public key: "):])
	run(t, "audit", "keygen", "--out", current)
	if code, _, errs := run(t, "audit", "checkpoint", "--db", dsn, "--key", old); code != 0 {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		extra []string
		want  float64
	}{{nil, 0}, {[]string{"--verify-public-key", oldPub}, 1}} {
		url, stop := serve(t, append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--audit-key", current}, c.extra...)...)
		if ok := waitForMetric(t, url, "outbound_audit_verify_ok"); ok != c.want {
			t.Errorf("serve %v after a rotation: outbound_audit_verify_ok = %v; want %v", c.extra, ok, c.want)
		}
		stop()
	}
}
