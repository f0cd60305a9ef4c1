package alert

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The ranges the rules' increase() reads, as their Expr says them.
const (
	ingestErrorWindow   = 15 * time.Minute
	ingestRefusedWindow = time.Hour
	// keepHistory is how long samples are kept for increase(): the
	// longest range.
	keepHistory = ingestRefusedWindow
)

// Sample is one sample of a metric: its name, its labels and its value.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Series is a rule's result: the labels of one series (without the
// metric name) and the value the rule's expression gives it.
type Series struct {
	Labels map[string]string
	Value  float64
}

// Alert statuses, as Alertmanager names them.
const (
	Firing   = "firing"
	Resolved = "resolved"
)

// Alert is one alert: a rule's name with the labels of the series it
// holds for, as Prometheus labels it (the series' labels, severity and
// alertname).
type Alert struct {
	Status      string
	Labels      map[string]string
	Annotations map[string]string
	Value       float64
	StartsAt    time.Time
	EndsAt      time.Time // zero while firing
}

// Name is the alert's rule.
func (a *Alert) Name() string { return a.Labels[model.AlertNameLabel] }

// point is one sample of a series at one evaluation.
type point struct {
	t time.Time
	v float64
}

// history is what the evaluator keeps of one series for increase().
type history struct {
	name   string
	labels map[string]string
	points []point
}

// Evaluator evaluates Rules, as Prometheus evaluates alerts.yml, over
// samples taken at each evaluation, and says which alerts started firing
// and which resolved. One goroutine uses it at a time.
type Evaluator struct {
	// Rules are the rules evaluated; nil means Rules.
	Rules []Rule
	// ExternalLabels are added to every alert, as Prometheus adds its
	// external labels: they say which server speaks.
	ExternalLabels map[string]string

	history map[string]*history // by series key, for increase()
	active  map[string]*Alert   // firing, by fingerprint
}

// Evaluate evaluates every rule over samples taken at now and returns the
// alerts that started firing and those that resolved, in rule order.
func (e *Evaluator) Evaluate(now time.Time, samples []Sample) []Alert {
	if e.history == nil {
		e.history, e.active = map[string]*history{}, map[string]*Alert{}
	}
	for _, s := range samples {
		k := key(s.Name, s.Labels)
		h := e.history[k]
		if h == nil {
			h = &history{name: s.Name, labels: s.Labels}
			e.history[k] = h
		}
		h.points = append(h.points, point{now, s.Value})
	}
	for k, h := range e.history {
		i := 0
		for i < len(h.points) && h.points[i].t.Before(now.Add(-keepHistory)) {
			i++
		}
		if h.points = h.points[i:]; len(h.points) == 0 {
			delete(e.history, k)
		}
	}
	q := &query{now: now, current: map[string][]Sample{}, history: e.history}
	for _, s := range samples {
		q.current[s.Name] = append(q.current[s.Name], s)
	}
	rules := e.Rules
	if rules == nil {
		rules = Rules
	}
	var changes []Alert
	firing := map[string]bool{}
	for _, r := range rules {
		var started []Alert
		for _, s := range r.match(q) {
			labels := maps.Clone(e.ExternalLabels)
			if labels == nil {
				labels = map[string]string{}
			}
			maps.Copy(labels, s.Labels)
			labels["severity"], labels[model.AlertNameLabel] = r.Severity, r.Name
			fp := fingerprint(labels)
			firing[fp] = true
			if a := e.active[fp]; a != nil {
				a.Value, a.Annotations = s.Value, r.annotations(s)
				continue
			}
			a := &Alert{Status: Firing, Labels: labels, Annotations: r.annotations(s), Value: s.Value, StartsAt: now}
			e.active[fp] = a
			started = append(started, *a)
		}
		var resolved []Alert
		for fp, a := range e.active {
			if a.Name() == r.Name && !firing[fp] {
				a.Status, a.EndsAt = Resolved, now
				resolved = append(resolved, *a)
				delete(e.active, fp)
			}
		}
		sortAlerts(started)
		sortAlerts(resolved)
		changes = append(append(changes, started...), resolved...)
	}
	return changes
}

// Firing returns the alerts firing after the last evaluation, sorted.
func (e *Evaluator) Firing() []Alert {
	var out []Alert
	for _, a := range e.active {
		out = append(out, *a)
	}
	sortAlerts(out)
	return out
}

// Run evaluates the rules over g's metrics every interval until ctx ends,
// starting now, and hands each evaluation's changes to notify. now is the
// clock; nil means time.Now.
func (e *Evaluator) Run(ctx context.Context, g prometheus.Gatherer, every time.Duration, now func() time.Time,
	notify func([]Alert), log *slog.Logger) {
	if now == nil {
		now = time.Now
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		families, err := g.Gather()
		if err != nil { // a partial gather still holds what it could read
			log.Warn("alerts: gather metrics", "err", err)
		}
		if changes := e.Evaluate(now(), Samples(families)); len(changes) > 0 {
			notify(changes)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Samples flattens gathered metric families to the samples the rules
// read: outbound's gauges and counters.
func Samples(families []*dto.MetricFamily) []Sample {
	var out []Sample
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), "outbound_") {
			continue
		}
		for _, m := range f.GetMetric() {
			s := Sample{Name: f.GetName(), Labels: map[string]string{}}
			for _, l := range m.GetLabel() {
				s.Labels[l.GetName()] = l.GetValue()
			}
			switch {
			case m.Gauge != nil:
				s.Value = m.GetGauge().GetValue()
			case m.Counter != nil:
				s.Value = m.GetCounter().GetValue()
			case m.Untyped != nil:
				s.Value = m.GetUntyped().GetValue()
			default:
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// Scrape reads a server's metrics as Prometheus scrapes them: base's
// /metrics, in the text format, into the samples Samples returns.
func Scrape(ctx context.Context, base string) ([]Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s/metrics answered %s", base, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s/metrics: %w", base, err)
	}
	return Samples(slices.Collect(maps.Values(families))), nil
}

// query is what a rule's match reads: the samples of this evaluation and
// the history kept for increase().
type query struct {
	now     time.Time
	current map[string][]Sample
	history map[string]*history
}

// time is PromQL's time(): now in Unix seconds.
func (q *query) time() float64 { return float64(q.now.UnixMilli()) / 1000 }

// series returns the current series of a metric.
func (q *query) series(name string) []Series {
	var out []Series
	for _, s := range q.current[name] {
		out = append(out, Series{Labels: s.Labels, Value: s.Value})
	}
	return out
}

// where returns the current series of a metric whose value passes keep:
// PromQL's filtering comparison with a scalar.
func (q *query) where(name string, keep func(float64) bool) []Series {
	var out []Series
	for _, s := range q.series(name) {
		if keep(s.Value) {
			out = append(out, s)
		}
	}
	return out
}

// value returns the current value of the metric's series with exactly
// these labels: PromQL's one-to-one matching of two vectors.
func (q *query) value(name string, labels map[string]string) (float64, bool) {
	for _, s := range q.current[name] {
		if maps.Equal(s.Labels, labels) {
			return s.Value, true
		}
	}
	return 0, false
}

// increaseAbove returns increase(name{label="value"}[window]) > 0: the
// series of the counter whose samples in the range, both ends included
// (as Prometheus 2 reads a range), rose, a drop counting as a restart
// from zero. A series needs two samples in the range, as in Prometheus.
// Prometheus extrapolates the increase to the range's ends, which changes
// its size but never whether it is above zero.
func (q *query) increaseAbove(name, label, value string, window time.Duration) []Series {
	var out []Series
	from := q.now.Add(-window)
	for _, h := range q.history {
		if h.name != name || h.labels[label] != value {
			continue
		}
		var in []point
		for _, p := range h.points {
			if !p.t.Before(from) && !p.t.After(q.now) {
				in = append(in, p)
			}
		}
		if len(in) < 2 {
			continue
		}
		inc := in[len(in)-1].v - in[0].v
		for i := 1; i < len(in); i++ {
			if in[i].v < in[i-1].v {
				inc += in[i-1].v
			}
		}
		if inc > 0 {
			out = append(out, Series{Labels: h.labels, Value: inc})
		}
	}
	return out
}

// annotations expands the rule's annotations for a series, as Prometheus
// expands them: with $labels and $value.
func (r *Rule) annotations(s Series) map[string]string {
	out := map[string]string{}
	for name, text := range map[string]string{"summary": r.Summary, "description": r.Description} {
		out[name] = expand(text, s)
	}
	return out
}

// templatePrefix defines the variables Prometheus defines for an
// annotation's template.
const templatePrefix = "{{$labels := .Labels}}{{$value := .Value}}"

// expand expands one annotation; a template that does not parse or run
// (a test keeps every rule's from that) is shown as it is, with the
// error.
func expand(text string, s Series) string {
	t, err := template.New("annotation").Option("missingkey=zero").Parse(templatePrefix + text)
	if err != nil {
		return fmt.Sprintf("%s (template: %v)", text, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, struct {
		Labels map[string]string
		Value  float64
	}{s.Labels, s.Value}); err != nil {
		return fmt.Sprintf("%s (template: %v)", text, err)
	}
	return b.String()
}

// key identifies a series: its name and labels.
func key(name string, labels map[string]string) string {
	var b strings.Builder
	b.WriteString(name)
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		fmt.Fprintf(&b, "\xff%s\xfe%s", k, labels[k])
	}
	return b.String()
}

// fingerprint is an alert's identity, as Alertmanager computes it from
// its labels.
func fingerprint(labels map[string]string) string {
	ls := model.LabelSet{}
	for k, v := range labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls.Fingerprint().String()
}

// sortAlerts orders alerts by their labels.
func sortAlerts(list []Alert) {
	slices.SortFunc(list, func(a, b Alert) int { return strings.Compare(key("", a.Labels), key("", b.Labels)) })
}
