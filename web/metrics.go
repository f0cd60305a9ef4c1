package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Names of the metrics that the alert rules and the dashboard in deploy/
// read (docs/metrics.md); package alert evaluates the same rules through
// these constants.
const (
	MetricRecordsRejected   = "outbound_records_rejected_total"
	MetricSyncQueueDepth    = "outbound_sync_queue_depth"
	MetricSyncNodeStale     = "outbound_sync_node_stale"
	MetricSyncLastSuccess   = "outbound_sync_last_success_timestamp_seconds"
	MetricSyncSetApart      = "outbound_sync_set_apart_records"
	MetricWindowInspections = "outbound_crossing_window_inspections"
	MetricWindowRequired    = "outbound_crossing_window_required"
	MetricWindowStart       = "outbound_crossing_window_start_timestamp_seconds"
	MetricWindowEnd         = "outbound_crossing_window_end_timestamp_seconds"
	MetricAuditVerifyOK     = "outbound_audit_verify_ok"
	MetricAuditProblems     = "outbound_audit_verify_problems"
	MetricAuditVerifiedAt   = "outbound_audit_verify_timestamp_seconds"
	MetricCheckpointOK      = "outbound_audit_checkpoint_ok"
	MetricCheckpointAt      = "outbound_audit_checkpoint_timestamp_seconds"
)

// Reasons a record sent to the API was not stored, the reason label of
// outbound_records_rejected_total.
const (
	RejectedInvalid   = "invalid"   // bad input: the record, or the request that carried it
	RejectedConflict  = "conflict"  // the id holds other content, or the edit is stale
	RejectedForbidden = "forbidden" // the caller may not record it
	RejectedError     = "error"     // the server failed: the record may be good
)

// rejectedReason is the reason label for an error's code.
func rejectedReason(code string) string {
	switch code {
	case outbound.EINTERNAL:
		return RejectedError
	case outbound.ECONFLICT:
		return RejectedConflict
	case outbound.EUNAUTHORIZED, outbound.EFORBIDDEN:
		return RejectedForbidden
	}
	return RejectedInvalid
}

// metrics are the server's Prometheus metrics, on a registry of its own.
type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	ingested  *prometheus.CounterVec
	rejected  *prometheus.CounterVec
	collector *stateCollector
	registry  *prometheus.Registry
	handler   http.Handler
}

func newMetrics(s *Server) *metrics {
	m, registry := &metrics{}, prometheus.NewRegistry()
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "outbound_http_requests_total",
		Help: "HTTP requests by route and status."}, []string{"route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "outbound_http_request_duration_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10)}, []string{"route"})
	m.ingested = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "outbound_records_ingested_total",
		Help: "Records stored (not replays) through the API, by kind."}, []string{"kind"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricRecordsRejected,
		Help: "Records sent to the API and not stored, by kind and reason (invalid, conflict, forbidden, error); a request refused whole counts once."},
		[]string{"kind", "reason"})
	// Every series exists from the start at 0: Prometheus's increase()
	// sees no increase in a series whose first sample is already 1.
	for _, k := range outbound.Kinds {
		if k.Path == "" {
			continue
		}
		m.ingested.WithLabelValues(k.Name)
		for _, reason := range []string{RejectedInvalid, RejectedConflict, RejectedForbidden, RejectedError} {
			m.rejected.WithLabelValues(k.Name, reason)
		}
	}
	m.collector = &stateCollector{s: s, ttl: time.Minute}
	registry.MustRegister(m.requests, m.latency, m.ingested, m.rejected, m.collector,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if s.AuditHealth != nil {
		registry.MustRegister(s.AuditHealth)
	}
	if s.ReadDB != nil {
		registry.MustRegister(s.ReadDB)
	}
	m.registry = registry
	m.handler = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	return m
}

// Gatherer returns the registry that /metrics serves, for evaluating
// alerts in process (package alert). It is nil until Handler was called.
func (s *Server) Gatherer() prometheus.Gatherer {
	if s.metrics == nil {
		return nil
	}
	return s.metrics.registry
}

// reject counts n records of kind that were not stored, for err's reason.
func (m *metrics) reject(kind string, n int, err error) {
	m.count(kind, n, rejectedReason(outbound.ErrorCode(err)))
}

// count counts n records of kind that were not stored, for reason.
func (m *metrics) count(kind string, n int, reason string) {
	if n > 0 {
		m.rejected.WithLabelValues(kind, reason).Add(float64(n))
	}
}

// instrument counts and times one route's requests.
func (m *metrics) instrument(route string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.handler.ServeHTTP(w, r)
}

// stateCollector reports what the database knows: nodes' sync, the
// current minimum-frequency window at each crossing, and compliance per
// border over the last four whole weeks. It reads them at most once a
// minute, whatever the scrape rate.
type stateCollector struct {
	s   *Server
	ttl time.Duration

	mu      sync.Mutex
	at      time.Time
	samples []prometheus.Metric
}

var (
	queueDesc = prometheus.NewDesc(MetricSyncQueueDepth, "Records a port node has not had acknowledged, as last reported (at a node: its own).",
		[]string{"node", "crossing"}, nil)
	staleDesc = prometheus.NewDesc(MetricSyncNodeStale, "1 when a node has not synced successfully for longer than serve --node-stale-after allows (at a node: itself).",
		[]string{"node", "crossing"}, nil)
	lastSuccessDesc = prometheus.NewDesc(MetricSyncLastSuccess, "When a node last reported a sync round without an error, Unix seconds at headquarters; absent before its first.",
		[]string{"node", "crossing"}, nil)
	setApartDesc = prometheus.NewDesc(MetricSyncSetApart, "Records headquarters refused that a node holds set apart, unresolved, as last reported (at a node: its own).",
		[]string{"node", "crossing"}, nil)
	complianceDesc = prometheus.NewDesc("outbound_compliance_rate", "Minimum-frequency windows met over required, the last four whole weeks (Monday to Sunday), by border.",
		[]string{"border"}, nil)
	windowLabels         = []string{"crossing", "border", "rule", "per"}
	windowInspectionDesc = prometheus.NewDesc(MetricWindowInspections, "Inspections counted so far in the current window of a minimum-frequency rule at a crossing (its local day, week or month).",
		windowLabels, nil)
	windowRequiredDesc = prometheus.NewDesc(MetricWindowRequired, "The inspections the rule requires in the current window.",
		windowLabels, nil)
	windowStartDesc = prometheus.NewDesc(MetricWindowStart, "When the current window began: local midnight at the crossing, Unix seconds.",
		windowLabels, nil)
	windowEndDesc = prometheus.NewDesc(MetricWindowEnd, "When the current window ends: local midnight at the crossing, Unix seconds.",
		windowLabels, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueDesc, staleDesc, lastSuccessDesc, setApartDesc, complianceDesc,
		windowInspectionDesc, windowRequiredDesc, windowStartDesc, windowEndDesc} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > c.ttl {
		c.samples, c.at = c.read(), time.Now()
	}
	for _, m := range c.samples {
		ch <- m
	}
}

// gauge is one gauge sample.
func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

// one is 1 for true, 0 for false.
func one(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// read gathers the samples as the system itself, which may read everything.
func (c *stateCollector) read() []prometheus.Metric {
	ctx, cancel := context.WithTimeout(outbound.WithActor(context.Background(), outbound.SystemActor("metrics")), 10*time.Second)
	defer cancel()
	s := c.s.reads() // the read database, when the server has one in use
	var out []prometheus.Metric
	if s.Sync != nil {
		nodes, err := s.Sync.FindNodes(ctx, s.NodeStaleAfter)
		c.logFailure("nodes", err)
		if err == nil {
			for _, n := range nodes {
				out = append(out, gauge(queueDesc, float64(n.QueueDepth), n.Name, n.Crossing),
					gauge(staleDesc, one(n.Stale), n.Name, n.Crossing),
					gauge(setApartDesc, float64(n.SetApartCount), n.Name, n.Crossing))
				if !n.LastSuccessAt.IsZero() {
					out = append(out, gauge(lastSuccessDesc, float64(n.LastSuccessAt.UnixMilli())/1000, n.Name, n.Crossing))
				}
			}
		}
	}
	crossing := "" // whose windows: every crossing's at headquarters
	if s.Local != nil {
		st, err := s.Local(ctx)
		c.logFailure("local sync", err)
		if err == nil && st.Role == "port" {
			// A node has synced when its last round pulled reference
			// data, which a round does last.
			stale := st.LastPullAt.IsZero() || s.now().Sub(st.LastPullAt) > s.NodeStaleAfter
			out = append(out, gauge(queueDesc, float64(st.QueueDepth), "self", st.Crossing),
				gauge(staleDesc, one(stale), "self", st.Crossing),
				gauge(setApartDesc, float64(len(st.SetApart)), "self", st.Crossing))
			crossing = st.Crossing
		}
	}
	// A port node holds its own crossing's inspections only: the others'
	// windows would all look empty there.
	if s.Policies != nil && s.Crossings != nil && (s.Role != "port" || crossing != "") {
		windows, err := windows(ctx, s, crossing)
		c.logFailure("current windows", err)
		out = append(out, windows...)
	}
	if s.Reports != nil {
		// The last four whole weeks, Monday to Sunday: weekly rules have
		// windows in them too. The compliance report judges them from the
		// monthly rollups, cheap enough for every scrape.
		today := outbound.DateOf(time.Now().UTC())
		sunday := today.AddDays(-int(today.Time(time.UTC).Weekday())) // Weekday: Sunday is 0
		if sunday == today {
			sunday = today.AddDays(-7)
		}
		rep, err := s.Reports.Report(ctx, "compliance", outbound.ReportFilter{From: sunday.AddDays(-27), To: sunday})
		c.logFailure("compliance", err)
		if err == nil {
			byBorder, _ := rep.Totals.Get(outbound.ByBorder).(outbound.Row)
			for _, b := range byBorder {
				if g, ok := b.Value.(outbound.Row); ok {
					if r, ok := g.Get(outbound.ComplianceRate).(float64); ok {
						out = append(out, prometheus.MustNewConstMetric(complianceDesc, prometheus.GaugeValue, r, string(b.Key)))
					}
				}
			}
		}
	}
	return out
}

// windows reads the minimum-frequency windows of the policy in force that
// contain now at each crossing (or the one named): each crossing's local
// day, week (Monday to Sunday) and month, with what it requires and the
// inspections counted so far.
func windows(ctx context.Context, s *Server, crossing string) ([]prometheus.Metric, error) {
	now := s.now()
	crossings, err := s.Crossings.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	zones := map[string]*time.Location{}
	for _, x := range crossings {
		zones[x.Code] = outbound.ZoneOrUTC(x.TimeZone)
	}
	// Every crossing's local day is within a day of UTC's: the period
	// from the earliest week or month that may hold one to the latest
	// holds every current window whole.
	today := outbound.DateOf(now.UTC())
	from, to := today.AddDays(-1), today.AddDays(1)
	from = earliest(from.AddDays(-outbound.MondayIndex(from)), outbound.Date{Year: from.Year, Month: from.Month, Day: 1})
	to = latest(to.AddDays(6-outbound.MondayIndex(to)), outbound.DateOf(outbound.Date{Year: to.Year, Month: to.Month, Day: 1}.Time(time.UTC).AddDate(0, 1, -1)))
	list, _, err := s.Policies.Compliance(ctx, crossing, from, to)
	if err != nil {
		return nil, err
	}
	var out []prometheus.Metric
	for _, comp := range list {
		loc := zones[comp.Crossing]
		if loc == nil {
			loc = time.UTC
		}
		local := outbound.DateOf(now.In(loc))
		for _, w := range comp.Windows {
			if local.Before(w.Start) || w.End.Before(local) {
				continue
			}
			labels := []string{comp.Crossing, comp.Border, w.Rule, w.Per}
			out = append(out, gauge(windowInspectionDesc, float64(w.Recorded), labels...),
				gauge(windowRequiredDesc, float64(w.Required), labels...),
				gauge(windowStartDesc, float64(w.Start.Time(loc).Unix()), labels...),
				gauge(windowEndDesc, float64(w.End.AddDays(1).Time(loc).Unix()), labels...))
		}
	}
	return out, nil
}

func earliest(a, b outbound.Date) outbound.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b outbound.Date) outbound.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// logFailure logs a sample that could not be read: it is missing from the
// scrape, which alone would go unnoticed.
func (c *stateCollector) logFailure(what string, err error) {
	if err != nil {
		c.s.Logger.Error("metrics: read "+what, "err", err)
	}
}

// AuditHealth is what the server last learnt of its own audit log: how
// its last verify ended and whether its last attempt to sign a checkpoint
// succeeded. The timers that run them (cmd's serve) report here; /metrics
// serves it as it stands, without the database collector's delay. A
// server that runs neither serves none of its metrics.
type AuditHealth struct {
	mu           sync.Mutex
	verifiedAt   time.Time // zero: no verify ended yet
	verifyOK     bool
	problems     int
	signedAt     time.Time // zero: no attempt yet
	signOK       bool
	lastSignedAt time.Time // of the last attempt that succeeded
}

var (
	verifyOKDesc = prometheus.NewDesc(MetricAuditVerifyOK, "1 when the server's last audit verify found nothing wrong; 0 when it found problems or could not run.", nil, nil)
	problemsDesc = prometheus.NewDesc(MetricAuditProblems, "Problems the server's last audit verify found (seen twice in a row: a write racing the check is not one).", nil, nil)
	verifiedDesc = prometheus.NewDesc(MetricAuditVerifiedAt, "When the server's last audit verify ended, Unix seconds.", nil, nil)
	signOKDesc   = prometheus.NewDesc(MetricCheckpointOK, "1 when the server's last attempt to sign an audit checkpoint succeeded (or found the head already signed); 0 when it failed.", nil, nil)
	signedDesc   = prometheus.NewDesc(MetricCheckpointAt, "When the server last succeeded in signing an audit checkpoint (or found the head already signed), Unix seconds.", nil, nil)
)

// Verified records a verify that ended at at: the problems it found, or
// the error that stopped it.
func (h *AuditHealth) Verified(at time.Time, problems int, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.verifiedAt, h.verifyOK, h.problems = at, err == nil && problems == 0, problems
}

// Signed records an attempt at at to sign a checkpoint, and its error.
func (h *AuditHealth) Signed(at time.Time, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.signedAt, h.signOK = at, err == nil
	if err == nil {
		h.lastSignedAt = at
	}
}

// Describe is for prometheus.Collector.
func (h *AuditHealth) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{verifyOKDesc, problemsDesc, verifiedDesc, signOKDesc, signedDesc} {
		ch <- d
	}
}

// Collect is for prometheus.Collector.
func (h *AuditHealth) Collect(ch chan<- prometheus.Metric) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.verifiedAt.IsZero() {
		ch <- gauge(verifyOKDesc, one(h.verifyOK))
		ch <- gauge(problemsDesc, float64(h.problems))
		ch <- gauge(verifiedDesc, float64(h.verifiedAt.UnixMilli())/1000)
	}
	if !h.signedAt.IsZero() {
		ch <- gauge(signOKDesc, one(h.signOK))
	}
	if !h.lastSignedAt.IsZero() {
		ch <- gauge(signedDesc, float64(h.lastSignedAt.UnixMilli())/1000)
	}
}
