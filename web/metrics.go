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

// metrics are the server's Prometheus metrics, on a registry of its own.
type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	ingested  *prometheus.CounterVec
	collector *stateCollector
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
	m.collector = &stateCollector{s: s, ttl: time.Minute}
	registry.MustRegister(m.requests, m.latency, m.ingested, m.collector,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	return m
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

// stateCollector reports what the database knows: nodes' queue depths and
// minimum-frequency compliance per border over the last four whole weeks.
// It reads them at most once a minute, whatever the scrape rate.
type stateCollector struct {
	s   *Server
	ttl time.Duration

	mu      sync.Mutex
	at      time.Time
	samples []prometheus.Metric
}

var (
	queueDesc = prometheus.NewDesc("outbound_sync_queue_depth", "Records a port node has not had acknowledged, as last reported (at a node: its own).",
		[]string{"node", "crossing"}, nil)
	staleDesc = prometheus.NewDesc("outbound_sync_node_stale", "1 when a node has not synced successfully for longer than allowed.",
		[]string{"node", "crossing"}, nil)
	complianceDesc = prometheus.NewDesc("outbound_compliance_rate", "Minimum-frequency windows met over required, the last four whole weeks (Monday to Sunday), by border.",
		[]string{"border"}, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDesc
	ch <- staleDesc
	ch <- complianceDesc
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

// read gathers the samples as the system itself, which may read everything.
func (c *stateCollector) read() []prometheus.Metric {
	ctx, cancel := context.WithTimeout(outbound.WithActor(context.Background(), outbound.SystemActor("metrics")), 10*time.Second)
	defer cancel()
	var out []prometheus.Metric
	if c.s.Sync != nil {
		nodes, err := c.s.Sync.FindNodes(ctx, c.s.NodeStaleAfter)
		c.logFailure("nodes", err)
		if err == nil {
			for _, n := range nodes {
				stale := 0.0
				if n.Stale {
					stale = 1
				}
				out = append(out, prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n.QueueDepth), n.Name, n.Crossing),
					prometheus.MustNewConstMetric(staleDesc, prometheus.GaugeValue, stale, n.Name, n.Crossing))
			}
		}
	}
	if c.s.Local != nil {
		st, err := c.s.Local(ctx)
		c.logFailure("local sync", err)
		if err == nil && st.Role == "port" {
			out = append(out, prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(st.QueueDepth), "self", st.Crossing))
		}
	}
	if c.s.Reports != nil {
		// The last four whole weeks, Monday to Sunday: weekly rules have
		// windows in them too. The compliance report judges them from the
		// monthly rollups, cheap enough for every scrape.
		today := outbound.DateOf(time.Now().UTC())
		sunday := today.AddDays(-int(today.Time(time.UTC).Weekday())) // Weekday: Sunday is 0
		if sunday == today {
			sunday = today.AddDays(-7)
		}
		rep, err := c.s.Reports.Report(ctx, "compliance", outbound.ReportFilter{From: sunday.AddDays(-27), To: sunday})
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

// logFailure logs a sample that could not be read: it is missing from the
// scrape, which alone would go unnoticed.
func (c *stateCollector) logFailure(what string, err error) {
	if err != nil {
		c.s.Logger.Error("metrics: read "+what, "err", err)
	}
}
