package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/alert"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/web"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// servedNames returns every sample name a real server's /metrics serves
// once each metric has had its event: a request, an ingested record, a
// node's report, a policy with windows, an audit verify and checkpoint.
func servedNames(t *testing.T) map[string]bool {
	t.Helper()
	db := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
	db.Now = func() time.Time { return clock }
	s := newServer(db)
	s.AuditHealth = &web.AuditHealth{}
	s.AuditHealth.Verified(clock, 0, nil)
	s.AuditHealth.Signed(clock, nil)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	src, _ := os.ReadFile("../policy/testdata/policies/frequency.yaml")
	if _, _, err := db.PublishPolicy(testdb.System, "frequency.yaml", src); err != nil {
		t.Fatal(err)
	}
	a := &api{t: t, url: srv.URL, db: db, router: mustRouter(t), token: mustToken(t, db, "sam", outbound.Supervisor, "2304")}
	a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New()))
	node := mustToken(t, db, "node-2304", outbound.Node, "2304")
	if status, body := a.as(node).do("POST", "/api/v1/sync/status", map[string]any{"version": "t", "schema": 0, "queue_depth": 1, "last_error": ""}); status != 204 {
		t.Fatalf("node status: %d %s", status, body)
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for name, f := range families {
		names[name] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[name+suffix] = true
			}
		}
	}
	return names
}

// The Grafana dashboard parses as a dashboard, and every query in it, and
// every alert rule, names only metrics a real server serves; the
// dashboard shows every metric the alert rules read.
func TestDashboardAndRulesNameServedMetrics(t *testing.T) {
	served := servedNames(t)
	b, err := os.ReadFile("../deploy/grafana/outbound.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title, UID    string
		SchemaVersion int
		Templating    struct {
			List []struct {
				Name, Type string
				Definition string
			}
		}
		Panels []struct {
			Type, Title string
			Targets     []struct {
				Expr  string
				RefID string
			}
			GridPos *struct{ H, W, X, Y int }
		}
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("the dashboard does not parse: %v", err)
	}
	if dash.Title == "" || dash.UID == "" || dash.SchemaVersion == 0 || len(dash.Panels) == 0 {
		t.Fatalf("not a dashboard: %+v", dash)
	}
	var exprs []string
	for i, p := range dash.Panels {
		if p.GridPos == nil || p.Type == "" || p.Title == "" {
			t.Errorf("panel %d has no type, title or gridPos", i)
		}
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
		for _, target := range p.Targets {
			if target.Expr == "" || target.RefID == "" {
				t.Errorf("panel %q: a target without expr or refId", p.Title)
			}
			exprs = append(exprs, target.Expr)
		}
	}
	onDashboard := map[string]bool{}
	for _, e := range exprs {
		for _, name := range metricNames(t, e) {
			onDashboard[name] = true
			if !served[name] {
				t.Errorf("the dashboard queries %s, which /metrics does not serve: %s", name, e)
			}
		}
	}
	for _, v := range dash.Templating.List {
		if m := labelValues.FindStringSubmatch(v.Definition); m != nil && !served[m[1]] {
			t.Errorf("variable %s reads %s, which /metrics does not serve", v.Name, m[1])
		}
	}
	promtoolParses(t, exprs)
	for _, r := range alert.Rules {
		for _, name := range metricNames(t, r.Expr) {
			if !served[name] {
				t.Errorf("rule %s reads %s, which /metrics does not serve", r.Name, name)
			}
			if !onDashboard[name] {
				t.Errorf("rule %s reads %s, which the dashboard does not show", r.Name, name)
			}
		}
	}
}

// promtoolParses has Prometheus's own parser read every query, as
// recording rules, with Grafana's variables given values; where promtool
// is not installed (and OUTBOUND_REQUIRE_PROMTOOL is not 1) it does not.
func promtoolParses(t *testing.T, exprs []string) {
	t.Helper()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("OUTBOUND_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("promtool is not installed and OUTBOUND_REQUIRE_PROMTOOL=1: apt-get install prometheus")
		}
		t.Log("promtool is not installed (apt-get install prometheus): the dashboard's queries were not parsed by Prometheus")
		return
	}
	vars := strings.NewReplacer("$__rate_interval", "5m", "$instance", ".*")
	var rules strings.Builder
	rules.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	for i, e := range exprs {
		q, _ := json.Marshal(vars.Replace(e))
		fmt.Fprintf(&rules, "      - record: dashboard:query%d\n        expr: %s\n", i, q)
	}
	file := filepath.Join(t.TempDir(), "dashboard.yml")
	if err := os.WriteFile(file, []byte(rules.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "rules", file).CombinedOutput(); err != nil {
		t.Errorf("promtool does not parse the dashboard's queries: %v\n%s\n%s", err, out, rules.String())
	}
}

var labelValues = regexp.MustCompile(`^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)`)

// promqlToken is one token of PromQL, enough to tell metric names from
// everything else: a string, a label matcher block, a range or
// subquery, a number, a name, or one other character.
var promqlToken = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]|[0-9][0-9a-zA-Z._+-]*|[a-zA-Z_:][a-zA-Z0-9_:]*|\S`)

// keywords are PromQL's words that are not metric names; those that take
// a list of labels in parentheses are true.
var keywords = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"and": false, "or": false, "unless": false, "bool": false, "offset": false, "atan2": false, "inf": false, "nan": false}

// metricNames returns the metric names a PromQL expression reads: names
// not followed by "(" (functions, aggregations), not keywords, not in a
// label list or matcher, not numbers; Grafana's $variables are not names.
func metricNames(t *testing.T, expr string) []string {
	t.Helper()
	tokens := promqlToken.FindAllString(expr, -1)
	var out []string
	for i := 0; i < len(tokens); i++ {
		tok := tokens[i]
		isName := tok[0] == '_' || tok[0] == ':' || (tok[0] >= 'a' && tok[0] <= 'z') || (tok[0] >= 'A' && tok[0] <= 'Z')
		if !isName || (i > 0 && tokens[i-1] == "$") {
			continue
		}
		next := ""
		if i+1 < len(tokens) {
			next = tokens[i+1]
		}
		if labelList, ok := keywords[strings.ToLower(tok)]; ok {
			if labelList && next == "(" {
				for i < len(tokens) && tokens[i] != ")" {
					i++
				}
			}
			continue
		}
		if next == "(" || next == "by" || next == "without" {
			continue // a function or an aggregation
		}
		if !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	if len(out) == 0 && !strings.Contains(expr, "vector(") {
		t.Errorf("no metric found in %q", expr)
	}
	return out
}

// metricNames finds what a reader would call the metric names.
func TestMetricNames(t *testing.T) {
	for expr, want := range map[string][]string{
		`histogram_quantile(0.95, sum by (le) (rate(outbound_http_request_duration_seconds_bucket{instance=~"$instance"}[$__rate_interval])))`: {"outbound_http_request_duration_seconds_bucket"},
		`a < b and on (crossing, rule) (c - time()) < 0.25 * (c - d)`:                                                                          {"a", "b", "c", "d"},
		`count(x{label="by (y)"} > 0) or vector(0)`:                                                                                            {"x"},
		`sum without (reason) (increase(outbound_records_rejected_total{reason="error"}[15m])) > 1e3`:                                          {"outbound_records_rejected_total"},
	} {
		if got := metricNames(t, expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%q) = %v; want %v", expr, got, want)
		}
	}
}
