// Package web serves the outbound JSON API (and, later, the web UI) as one
// http.Handler on the standard ServeMux. Handlers are short: parse,
// validate, call a service, respond; errors are mapped to statuses in one
// table and internal ones are logged once, here, and shown as "internal
// error".
package web

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/policy"
)

// Limits on requests.
const (
	MaxBodyBytes = 8 << 20 // a batch of 1,000 inspections is about 500 KB
	MaxBatch     = 1000
)

// Server is the HTTP face of one outbound database.
type Server struct {
	Crossings   outbound.CrossingService
	Inspections outbound.InspectionService
	Staffing    outbound.StaffingService
	Exits       outbound.ExitService
	Accounts    outbound.AccountService
	Audit       outbound.AuditService
	Sync        outbound.SyncService
	Policies    policy.Service
	Reports     outbound.ReportService
	Schedules   outbound.ScheduleService
	Operations  outbound.OperationService
	Lanes       outbound.LaneService
	Surveys     outbound.SurveyService
	Funding     outbound.FundingService
	Planning    budget.PlanningService
	Trends      outbound.TrendService
	// Now is the clock of the pages' default periods; nil means time.Now.
	Now func() time.Time
	// Local says how this server's own sync goes (a port node's queue and
	// the age of its reference data).
	Local func(context.Context) (outbound.LocalSync, error)
	// SetApart holds the records headquarters refused (a port node's);
	// nil answers 404 to resolving one.
	SetApart outbound.SetApartService
	// MinProtocol is the oldest sync protocol accepted from port nodes;
	// 0 means outbound.MinProtocol, one behind this build's.
	MinProtocol int
	// NodeStaleAfter flags nodes without a successful sync for longer; 0
	// means a day.
	NodeStaleAfter time.Duration
	// LoginsPerMinute bounds sign-in attempts per client address; 0 means 10.
	LoginsPerMinute int
	// RequestScope starts, on a page's context, what the page's reads
	// share for the one request: the dashboard and a crossing's page read
	// many reports at once, which ask the storage some of the same
	// questions. cmd wires it to the storage's request cache; nil means
	// nothing is shared.
	RequestScope func(context.Context) context.Context
	// Ping reports whether the database can be read, for /readyz (cmd
	// wires sqldb's Ready, which reads a table rather than only dial).
	// /healthz never calls it: a liveness check that failed with the
	// database would have the process restarted for a fault outside it.
	Ping func(context.Context) error
	// AuditHealth, if set, holds how the server's own audit verify and
	// checkpoint signing last went, which /metrics serves.
	AuditHealth *AuditHealth
	Logger      *slog.Logger
	// Role is "hq" or "port", shown on the index page.
	Role string
	// ReadDB, if set, is a read-only copy of the database (a PostgreSQL
	// hot standby) that reports, pages and exports read while it is
	// usable; see readDBRoutes for which routes, and why the others read
	// the primary. /readyz and /metrics say how it stands.
	ReadDB *ReadDB

	mux      *http.ServeMux
	limiter  *limiter
	metrics  *metrics
	readView *Server // the server on ReadDB's services
	onCopy   bool    // this is readView
}

// requestScope starts a request's shared reads, if the server has a way to.
func (s *Server) requestScope(ctx context.Context) context.Context {
	if s.RequestScope == nil {
		return ctx
	}
	return s.RequestScope(ctx)
}

// Handler returns the server's routes, behind authentication, security
// headers and logging.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.limiter = &limiter{perMin: s.LoginsPerMinute}
	if s.limiter.perMin == 0 {
		s.limiter.perMin = 10
	}
	s.mux = http.NewServeMux()
	s.metrics = newMetrics(s)
	onReadDB := s.readDBHandlers()
	for _, rt := range s.routes() {
		if h, ok := onReadDB[rt.pattern]; ok {
			rt.handler = h
		}
		s.mux.HandleFunc(rt.pattern, s.metrics.instrument(rt.pattern, s.knownQuery(rt)))
	}
	s.mux.HandleFunc("/api/", s.notFound)
	if s.NodeStaleAfter == 0 {
		s.NodeStaleAfter = 24 * time.Hour
	}
	// Cross-site writes are refused before anything else looks at them:
	// the session's CSRF token guards signed-in writes, but the sign-in
	// itself has no session yet (login CSRF: a page elsewhere signing the
	// browser in as someone else). Browsers say where a request comes
	// from (Sec-Fetch-Site, Origin); clients that are not browsers send
	// neither and pass.
	cross := http.NewCrossOriginProtection()
	cross.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "", "a write from another site is refused; use this site's own pages"))
	}))
	return s.logRequests(securityHeaders(noStore(cross.Handler(s.checkProtocol(s.authenticate(s.mux))))))
}

type route struct {
	pattern string
	handler http.HandlerFunc
	// query names the query parameters the route reads; any other is
	// refused (DESIGN section 5), so that a filter the route does not
	// apply is never taken for one it does.
	query []string
}

// routes is the one route table. Who may call each route is decided by the
// services it calls, so every entry point gets the same answer.
func (s *Server) routes() []route {
	return []route{
		{"GET /{$}", s.index, nil},
		{"GET /login", s.loginPage, nextQuery},
		{"POST /login", s.loginForm, nil},
		{"POST /logout", s.logoutForm, nil},
		{"GET /password", s.passwordPage, nextQuery},
		{"POST /password", s.passwordForm, nil},
		{"GET /static/", s.static, assetQuery},
		{"GET /sw.js", s.serviceWorker, nil},
		{"GET /manifest.webmanifest", s.manifest, nil},
		{"GET /capture", s.capture, nil},
		{"GET /outbox", s.outbox, nil},
		{"GET /dashboard", s.dashboard, reportQuery},
		{"GET /reports", s.reportsPage, reportQuery},
		{"GET /reports/budget", s.budgetPage, budgetQuery},
		{"GET /reports/{name}", s.reportPage, reportQuery},
		{"GET /crossings/{code}", s.crossingPage, crossingPageQuery},
		{"GET /inspections/{id}", s.inspectionPage, nil},
		{"POST /inspections/{id}/edit", s.editInspection, nil},
		{"GET /survey", s.surveyPage, deskQuery},
		{"POST /survey", s.surveyForm, nil},
		{"POST /survey/void", s.voidSurvey, nil},
		{"GET /supervisor", s.supervisorPage, supervisorQuery},
		{"POST /supervisor/staffing", s.supervisorStaffing, nil},
		{"POST /supervisor/staffing/edit", s.supervisorStaffingEdit, nil},
		{"POST /supervisor/schedule", s.supervisorSchedule, nil},
		{"POST /supervisor/operation", s.supervisorOperation, nil},
		{"POST /supervisor/conflict", s.supervisorConflict, nil},
		{"POST /supervisor/set-apart", s.supervisorSetApart, nil},
		{"GET /healthz", s.health, nil},
		{"GET /readyz", s.ready, nil},
		{"GET /metrics", s.serveMetrics, nil},
		{"GET /api/v1/openapi.json", s.openAPI, nil},
		{"POST /api/v1/login", s.login, nil},
		{"POST /api/v1/logout", s.logout, nil},
		{"GET /api/v1/session", s.session, nil},
		{"POST /api/v1/password", s.changePassword, nil},
		{"GET /api/v1/crossings", s.listCrossings, nil},
		{"GET /api/v1/crossings/{code}", s.getCrossing, nil},
		{"POST /api/v1/inspections", s.recordInspections, nil},
		{"GET /api/v1/inspections", s.listInspections, inspectionListQuery},
		{"GET /api/v1/inspections/{id}", s.getInspection, nil},
		{"GET /api/v1/inspections/{id}/history", s.inspectionHistory, nil},
		{"POST /api/v1/staffing", s.recordStaffing, nil},
		{"GET /api/v1/staffing", s.listStaffing, listQuery},
		{"POST /api/v1/exits", s.recordExits, nil},
		{"GET /api/v1/exits", s.listExits, listQuery},
		{"GET /api/v1/audit/checkpoints", s.checkpoints, nil},
		{"GET /api/v1/sync", s.localSync, nil},
		{"POST /api/v1/sync/status", s.reportNode, nil},
		{"GET /api/v1/sync/reference", s.reference, cursorQuery},
		{"GET /api/v1/sync/conflicts", s.conflicts, crossingQuery},
		{"POST /api/v1/sync/conflicts/resolve", s.resolveConflict, nil},
		{"POST /api/v1/sync/set-apart/resolve", s.resolveSetApart, nil},
		{"GET /api/v1/nodes", s.nodes, nil},
		{"POST /api/v1/policies", s.publishPolicy, nil},
		{"GET /api/v1/policies", s.listPolicies, nil},
		{"GET /api/v1/policies/in-force", s.policiesInForce, inForceQuery},
		{"GET /api/v1/compliance", s.compliance, periodQuery},
		{"GET /api/v1/policy-checks", s.policyChecks, periodQuery},
		{"GET /api/v1/reports/{name}", s.report, reportAPIQuery},
		{"POST /api/v1/schedules", s.publishSchedule, nil},
		{"GET /api/v1/schedules", s.findSchedules, periodQuery},
		{"POST /api/v1/operations", s.planOperation, nil},
		{"GET /api/v1/operations", s.findOperations, datesQuery},
		{"GET /api/v1/operations/{id}", s.operationResults, nil},
		{"POST /api/v1/lanes/decide", s.decideLane, nil},
		{"POST /api/v1/lane-decisions", s.recordLaneDecisions, nil},
		{"GET /api/v1/lane-decisions", s.listLaneDecisions, listQuery},
		{"POST /api/v1/surveys", s.recordSurveys, nil},
		{"GET /api/v1/surveys", s.listSurveys, listQuery},
		{"GET /api/v1/surveys/latest", s.latestSurvey, crossingQuery},
		{"POST /api/v1/funding", s.recordFunding, nil},
		{"GET /api/v1/funding", s.listFunding, listQuery},
		{"GET /api/v1/funding/plan", s.fundingPlan, budgetQuery},
		{"PUT /api/v1/planning/{kind}", s.publishPlan, nil},
		{"GET /api/v1/planning/{kind}", s.planInForce, nil},
		{"GET /api/v1/gaps", s.gapRanking, nil},
		{"GET /api/v1/reports/budget", s.budgetRequest, budgetAPIQuery},
	}
}

// Routes lists the patterns the server answers, for tests that must cover
// every route.
func (s *Server) Routes() []string {
	var ps []string
	for _, rt := range s.routes() {
		ps = append(ps, rt.pattern)
	}
	return ps
}

// securityHeaders sets headers that keep browsers from framing pages,
// running inline or foreign scripts, sniffing types or leaking referrers;
// and HSTS when served over TLS.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}

// health is the liveness check: it answers while the process serves
// requests, whatever the database does.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready is the readiness check: 503 while the database cannot be read
// (down, missing or corrupt), so that a load balancer sends no one here.
// A read database is checked afresh too, and said how it stands under
// "read_db", but it does not make the server unready: while it is down
// or too far behind, reports read the primary.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	answer := map[string]string{"status": "ok"}
	if s.ReadDB != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		if err := s.ReadDB.Refresh(ctx); err != nil {
			s.Logger.Warn("read database check", "err", err)
		}
		cancel()
		answer["read_db"] = s.ReadDB.status()
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		s.Logger.Error("readiness check", "err", err)
		answer["status"] = "database unavailable"
		writeJSON(w, http.StatusServiceUnavailable, answer)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, outbound.Errorf(outbound.ENOTFOUND, "", "no route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// logRequests logs one line per request: who (the user's name, never a
// token or cookie, which would let a log reader act as them), from which
// address, what, and how it went.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		who := &requestUser{}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestUserKey{}, who)))
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"user", who.name, "addr", clientAddr(r), "duration", time.Since(start).Round(time.Microsecond))
	})
}

// requestUser is where authentication leaves the name of who made a
// request, for its log line: the log wraps authentication, so it cannot
// read the actor from the context authentication makes.
type requestUser struct{ name string }

type requestUserKey struct{}

// logUser names the user of a request in its log line.
func logUser(r *http.Request, name string) {
	if who, ok := r.Context().Value(requestUserKey{}).(*requestUser); ok {
		who.name = name
	}
}

// noStore keeps API answers (records, sessions, CSRF tokens) out of
// browser and proxy caches, where the next user of a shared device could
// read them.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
