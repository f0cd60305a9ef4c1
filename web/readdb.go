package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/policy"
	"github.com/prometheus/client_golang/prometheus"
)

// Names of the read database's metrics (docs/metrics.md).
const (
	MetricReadDBUp    = "outbound_read_db_up"
	MetricReadDBInUse = "outbound_read_db_in_use"
	MetricReadDBLag   = "outbound_read_db_lag_seconds"
)

// readDBRoutes are the routes that may read a read-only copy of the
// database (Server.ReadDB): reports, pages and exports, whose figures may
// be as old as the copy's replay delay (and /metrics reads its database
// gauges through the same choice). Every other route reads the
// primary, because its caller must see a write just made or is making
// one: sign-in, sessions and tokens (checked before any route, on the
// primary), an officer's own list and outbox, the record just posted and
// its history, the supervisor's and survey desks (which show the form
// just sent), sync's cursors, and every write.
var readDBRoutes = []string{
	"GET /dashboard",
	"GET /reports",
	"GET /reports/budget",
	"GET /reports/{name}",
	"GET /crossings/{code}",
	"GET /api/v1/reports/{name}",
	"GET /api/v1/reports/budget",
	"GET /api/v1/compliance",
	"GET /api/v1/policy-checks",
	"GET /api/v1/gaps",
	"GET /api/v1/funding/plan",
}

// ReadServices are the services the routes of readDBRoutes call. A read
// database implements them (sqldb.DB does); its writes would fail, and
// none of those routes writes.
type ReadServices interface {
	outbound.CrossingService
	outbound.InspectionService
	outbound.ReportService
	outbound.TrendService
	outbound.SurveyService
	outbound.SyncService
	outbound.SetApartService
	policy.Service
	budget.PlanningService
}

// ReadDB is a read-only copy of the database (a PostgreSQL hot standby)
// for the routes of readDBRoutes, and how it last stood. While it
// answers its checks and is no further behind than MaxLag, those routes
// read it; otherwise they read the primary, so that reports degrade to
// the primary's load rather than fail or show old figures. The server's
// readiness does not depend on it: only the primary's does.
type ReadDB struct {
	Services ReadServices
	// RequestScope is Server.RequestScope for the copy's reads.
	RequestScope func(context.Context) context.Context
	// Check reports how far the copy is behind the primary, or why it
	// cannot be read (down, or promoted and no longer following).
	Check func(context.Context) (time.Duration, error)
	// MaxLag is the most the copy may be behind and still be read; 0
	// means no bound.
	MaxLag time.Duration

	mu      sync.Mutex
	checked bool
	up      bool
	lag     time.Duration
	err     error
}

// Refresh checks the copy now and returns the check's error.
func (h *ReadDB) Refresh(ctx context.Context) error {
	// A copy that restarted leaves dead connections in the pool: the
	// first query on each fails, and the pool then drops it. A copy that
	// is down fails each try at once.
	var lag time.Duration
	var err error
	for range 3 {
		if lag, err = h.Check(ctx); err == nil || ctx.Err() != nil {
			break
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checked, h.up, h.lag, h.err = true, err == nil, lag, err
	return err
}

// Watch checks the copy every period until ctx ends.
func (h *ReadDB) Watch(ctx context.Context, every time.Duration) {
	for {
		check, cancel := context.WithTimeout(ctx, every)
		h.Refresh(check)
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// inUse reports whether the routes of readDBRoutes read the copy: not
// before its first check succeeds.
func (h *ReadDB) inUse() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.up && (h.MaxLag == 0 || h.lag <= h.MaxLag)
}

// status says in words how the copy stands, for /readyz.
func (h *ReadDB) status() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !h.checked:
		return "not checked yet: reports read the primary"
	case !h.up:
		return "unavailable (" + h.err.Error() + "): reports read the primary"
	case h.MaxLag > 0 && h.lag > h.MaxLag:
		return "behind by " + h.lag.Round(time.Millisecond).String() + ", more than " + h.MaxLag.String() + ": reports read the primary"
	}
	return "ok, behind by " + h.lag.Round(time.Millisecond).String()
}

var (
	readDBUpDesc    = prometheus.NewDesc(MetricReadDBUp, "1 when the read database (serve --read-db) answered its last check as a standby following the primary.", nil, nil)
	readDBInUseDesc = prometheus.NewDesc(MetricReadDBInUse, "1 when reports, pages and exports read the read database; 0 when they read the primary (down, or further behind than --read-db-max-lag).", nil, nil)
	readDBLagDesc   = prometheus.NewDesc(MetricReadDBLag, "How far the read database was behind the primary at its last check: 0 when it had replayed all the primary had written, else the age of the last transaction it replayed.", nil, nil)
)

// Describe implements prometheus.Collector.
func (h *ReadDB) Describe(ch chan<- *prometheus.Desc) {
	ch <- readDBUpDesc
	ch <- readDBInUseDesc
	ch <- readDBLagDesc
}

// Collect implements prometheus.Collector.
func (h *ReadDB) Collect(ch chan<- prometheus.Metric) {
	inUse := h.inUse()
	h.mu.Lock()
	up, lag := h.up, h.lag
	h.mu.Unlock()
	ch <- gauge(readDBUpDesc, one(up))
	ch <- gauge(readDBInUseDesc, one(inUse))
	if up {
		ch <- gauge(readDBLagDesc, lag.Seconds())
	}
}

// onReadDB returns a copy of the server whose ReadServices are the read
// database's, for the handlers of readDBRoutes. It shares the server's
// metrics, logger and limits.
func (s *Server) onReadDB() *Server {
	v := *s
	rs := s.ReadDB.Services
	v.Crossings, v.Inspections, v.Reports, v.Trends, v.Surveys, v.Sync, v.SetApart, v.Policies, v.Planning =
		rs, rs, rs, rs, rs, rs, rs, rs, rs
	v.RequestScope = s.ReadDB.RequestScope
	v.readView, v.onCopy = nil, true
	return &v
}

// lagNotice is what a page read from the read database says of its age:
// nothing under a second behind, which is replay's ordinary pace.
func (s *Server) lagNotice() string {
	if !s.onCopy {
		return ""
	}
	s.ReadDB.mu.Lock()
	lag := s.ReadDB.lag
	s.ReadDB.mu.Unlock()
	if lag < time.Second {
		return ""
	}
	return "Figures read from a standby copy of the database, " + lag.Round(time.Second).String() + " behind the primary: the latest records may be missing."
}

// reads is the server whose services a route of readDBRoutes reads: the
// read database's view while it is in use, else the server itself.
func (s *Server) reads() *Server {
	if s.readView != nil && s.ReadDB.inUse() {
		return s.readView
	}
	return s
}

// readDBHandlers returns, for each route of readDBRoutes, a handler that
// runs that route on reads() at each request; nil without a read
// database.
func (s *Server) readDBHandlers() map[string]http.HandlerFunc {
	if s.ReadDB == nil {
		return nil
	}
	s.readView = s.onReadDB()
	onCopy := map[string]http.HandlerFunc{}
	for _, rt := range s.readView.routes() {
		onCopy[rt.pattern] = rt.handler
	}
	hs := map[string]http.HandlerFunc{}
	for _, rt := range s.routes() {
		for _, p := range readDBRoutes {
			if p != rt.pattern {
				continue
			}
			copyHandler, primary := onCopy[p], rt.handler
			hs[p] = func(w http.ResponseWriter, r *http.Request) {
				if s.reads() != s {
					copyHandler(w, r)
					return
				}
				primary(w, r)
			}
		}
	}
	return hs
}
