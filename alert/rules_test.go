package alert

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/model"
)

var update = flag.Bool("update", false, "rewrite deploy/prometheus/alerts.yml from Rules")

const (
	rulesFile = "../deploy/prometheus/alerts.yml"
	testsFile = "../deploy/prometheus/alerts_test.yml"
)

// rulesYAML writes Rules as a Prometheus rule file.
func rulesYAML() []byte {
	var b bytes.Buffer
	b.WriteString(`# outbound's alert rules for Prometheus (docs/operations.md#alerts), over the
# metrics every outbound server serves at /metrics (docs/metrics.md).
# Written from package alert's Rules by go test ./alert -update: outbound
# serve --alert-webhook evaluates the same rules without Prometheus. Tests:
# promtool test rules alerts_test.yml
groups:
  - name: outbound
    rules:
`)
	quote := func(s string) string {
		var q bytes.Buffer
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		return strings.TrimSpace(q.String()) // a JSON string is a YAML double-quoted scalar
	}
	for _, r := range Rules {
		fmt.Fprintf(&b, "      - alert: %s\n        expr: |\n", r.Name)
		for _, line := range strings.Split(r.Expr, "\n") {
			fmt.Fprintf(&b, "          %s\n", line)
		}
		fmt.Fprintf(&b, "        labels:\n          severity: %s\n", r.Severity)
		fmt.Fprintf(&b, "        annotations:\n          summary: %s\n          description: %s\n", quote(r.Summary), quote(r.Description))
	}
	return b.Bytes()
}

// alerts.yml is Rules, as written by -update.
func TestAlertsYAMLIsWrittenFromRules(t *testing.T) {
	want := rulesYAML()
	if *update {
		if err := os.WriteFile(rulesFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is not what Rules say (go test ./alert -update rewrites it):\n%s", rulesFile, diff)
	}
	var parsed struct {
		Groups []struct {
			Name  string
			Rules []struct {
				Alert, Expr string
				Labels      map[string]string
				Annotations map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(got, &parsed); err != nil || len(parsed.Groups) != 1 || len(parsed.Groups[0].Rules) != len(Rules) {
		t.Fatalf("%s does not read back: %v, %+v", rulesFile, err, parsed)
	}
	for i, r := range parsed.Groups[0].Rules {
		if r.Expr != Rules[i].Expr+"\n" || r.Annotations["summary"] != Rules[i].Summary || r.Annotations["description"] != Rules[i].Description {
			t.Errorf("rule %s reads back as %+v", Rules[i].Name, r)
		}
	}
}

// Every annotation expands without a template error, and every rule has
// a name, a severity and a condition.
func TestRulesAreWhole(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if r.Name == "" || seen[r.Name] || (r.Severity != Warning && r.Severity != Critical) || r.match == nil || r.Expr == "" {
			t.Errorf("rule %+v: want a unique name, a severity, an Expr and a match", r)
		}
		seen[r.Name] = true
		for _, text := range r.annotations(Series{Labels: map[string]string{"crossing": "2304"}, Value: 2}) {
			if strings.Contains(text, "(template:") || strings.Contains(text, "{{") {
				t.Errorf("rule %s: %s", r.Name, text)
			}
		}
	}
}

// promtool checks alerts.yml and runs alerts_test.yml. It runs where
// promtool is installed (Debian's prometheus package); with
// OUTBOUND_REQUIRE_PROMTOOL=1 (CI) a missing promtool fails the test.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("OUTBOUND_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("promtool is not installed and OUTBOUND_REQUIRE_PROMTOOL=1: apt-get install prometheus")
		}
		t.Skip("promtool is not installed (apt-get install prometheus): the rules' unit tests are not run")
	}
	for _, args := range [][]string{{"check", "rules", rulesFile}, {"test", "rules", testsFile}} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// The scenarios promtool runs against the PromQL give the same alerts
// through Evaluate, evaluation by evaluation as promtool evaluates them.
func TestScenariosGiveTheSameAlertsInGo(t *testing.T) {
	b, err := os.ReadFile(testsFile)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		RuleFiles          []string `yaml:"rule_files"`
		EvaluationInterval string   `yaml:"evaluation_interval"`
		Tests              []struct {
			Name        string `yaml:"name"`
			Interval    string `yaml:"interval"`
			InputSeries []struct {
				Series string `yaml:"series"`
				Values string `yaml:"values"`
			} `yaml:"input_series"`
			AlertRuleTest []struct {
				EvalTime  string `yaml:"eval_time"`
				Alertname string `yaml:"alertname"`
				ExpAlerts []struct {
					ExpLabels      map[string]string `yaml:"exp_labels"`
					ExpAnnotations map[string]string `yaml:"exp_annotations"`
				} `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	if err := yaml.UnmarshalWithOptions(b, &file, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(file.RuleFiles, []string{filepath.Base(rulesFile)}) {
		t.Fatalf("rule_files = %v; want the one file Rules write", file.RuleFiles)
	}
	every := mustDuration(t, file.EvaluationInterval)
	tested := map[string]bool{}
	for _, group := range file.Tests {
		t.Run(group.Name, func(t *testing.T) {
			interval := mustDuration(t, group.Interval)
			var series []scenarioSeries
			for _, in := range group.InputSeries {
				series = append(series, scenarioSeries{sample: mustSeries(t, in.Series), values: mustValues(t, in.Values)})
			}
			want := map[time.Duration]map[string][]labelsAndAnnotations{}
			var last time.Duration
			for _, c := range group.AlertRuleTest {
				at := mustDuration(t, c.EvalTime)
				if at%every != 0 {
					t.Fatalf("eval_time %s is not a multiple of the evaluation interval", c.EvalTime)
				}
				last = max(last, at)
				if want[at] == nil {
					want[at] = map[string][]labelsAndAnnotations{}
				}
				exp := []labelsAndAnnotations{}
				for _, a := range c.ExpAlerts {
					labels := maps.Clone(a.ExpLabels)
					if labels == nil {
						labels = map[string]string{}
					}
					labels[model.AlertNameLabel] = c.Alertname
					exp = append(exp, labelsAndAnnotations{labels, a.ExpAnnotations})
				}
				want[at][c.Alertname] = exp
				tested[c.Alertname] = true
			}
			e := &Evaluator{}
			epoch := time.Unix(0, 0).UTC()
			for at := time.Duration(0); at <= last; at += every {
				e.Evaluate(epoch.Add(at), samplesAt(series, interval, at))
				for name, exp := range want[at] {
					got := []labelsAndAnnotations{}
					for _, a := range e.Firing() {
						if a.Name() == name {
							got = append(got, labelsAndAnnotations{a.Labels, a.Annotations})
						}
					}
					sortLA(got)
					sortLA(exp)
					if diff := cmp.Diff(exp, got); diff != "" {
						t.Errorf("%s at %s (-promtool's expectation +Go):\n%s", name, at, diff)
					}
				}
			}
		})
	}
	for _, r := range Rules {
		if !tested[r.Name] {
			t.Errorf("rule %s has no scenario in %s", r.Name, testsFile)
		}
	}
}

type labelsAndAnnotations struct {
	Labels, Annotations map[string]string
}

func sortLA(list []labelsAndAnnotations) {
	slices.SortFunc(list, func(a, b labelsAndAnnotations) int { return strings.Compare(key("", a.Labels), key("", b.Labels)) })
}

// scenarioSeries is one input series: its sample (name and labels) and a
// value at each interval from 0, absent where the notation says "_".
type scenarioSeries struct {
	sample Sample
	values []*float64
}

// lookback is how far back Prometheus looks for a series' latest sample.
const lookback = 5 * time.Minute

// samplesAt returns the samples a query at `at` sees: each series' latest
// value at or before it, if not older than the lookback.
func samplesAt(series []scenarioSeries, interval, at time.Duration) []Sample {
	var out []Sample
	for _, s := range series {
		for i := min(int(at/interval), len(s.values)-1); i >= 0 && at-time.Duration(i)*interval <= lookback; i-- {
			if v := s.values[i]; v != nil {
				x := s.sample
				x.Value = *v
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func mustDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := model.ParseDuration(s)
	if err != nil {
		t.Fatalf("duration %q: %v", s, err)
	}
	return time.Duration(d)
}

// mustSeries reads name{label="value",...}.
func mustSeries(t *testing.T, s string) Sample {
	t.Helper()
	name, rest, _ := strings.Cut(s, "{")
	out := Sample{Name: strings.TrimSpace(name), Labels: map[string]string{}}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), "}")
	for rest != "" {
		k, after, ok := strings.Cut(rest, "=")
		if !ok {
			t.Fatalf("series %q: a label without a value", s)
		}
		v, err := strconv.QuotedPrefix(strings.TrimSpace(after))
		if err != nil {
			t.Fatalf("series %q: %v", s, err)
		}
		out.Labels[strings.TrimSpace(strings.TrimPrefix(k, ","))], _ = strconv.Unquote(v)
		rest = strings.TrimSpace(strings.TrimSpace(after)[len(v):])
	}
	return out
}

// mustValues expands promtool's value notation: numbers, "_", and
// "a+bxn" or "a-bxn" (a, then n more values b apart).
func mustValues(t *testing.T, s string) []*float64 {
	t.Helper()
	var out []*float64
	for _, f := range strings.Fields(s) {
		if f == "_" {
			out = append(out, nil)
			continue
		}
		start, times, expanding := strings.Cut(f, "x")
		if !expanding {
			v := mustFloat(t, f)
			out = append(out, &v)
			continue
		}
		i := strings.LastIndexAny(start, "+-")
		if i <= 0 {
			t.Fatalf("values %q: %q is not a+bxn", s, f)
		}
		a, b := mustFloat(t, start[:i]), mustFloat(t, start[i:])
		n, err := strconv.Atoi(times)
		if err != nil {
			t.Fatalf("values %q: %q: %v", s, f, err)
		}
		for k := 0; k <= n; k++ {
			v := a + float64(k)*b
			out = append(out, &v)
		}
	}
	return out
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("value %q: %v", s, err)
	}
	return v
}
