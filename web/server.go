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
	"time"

	"github.com/outbound-oss/outbound"
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
	// Ping reports whether the database answers, for /healthz.
	Ping   func(context.Context) error
	Logger *slog.Logger
	// Role is "hq" or "port", shown on the index page.
	Role string

	mux *http.ServeMux
}

// Handler returns the server's routes with logging around them.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s.logRequests(s.mux)
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("GET /healthz", s.health)
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	s.mux.HandleFunc("GET /api/v1/crossings", s.listCrossings)
	s.mux.HandleFunc("GET /api/v1/crossings/{code}", s.getCrossing)
	s.mux.HandleFunc("POST /api/v1/inspections", s.recordInspections)
	s.mux.HandleFunc("GET /api/v1/inspections", s.listInspections)
	s.mux.HandleFunc("GET /api/v1/inspections/{id}", s.getInspection)
	s.mux.HandleFunc("POST /api/v1/staffing", s.recordStaffing)
	s.mux.HandleFunc("GET /api/v1/staffing", s.listStaffing)
	s.mux.HandleFunc("POST /api/v1/exits", s.recordExits)
	s.mux.HandleFunc("GET /api/v1/exits", s.listExits)
	s.mux.HandleFunc("/api/", s.notFound)
}

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		s.Logger.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, outbound.Errorf(outbound.ENOTFOUND, "", "no route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(`<!doctype html><html lang="en"><meta charset="utf-8"><title>outbound</title>
<h1>outbound</h1><p>Outbound inspection record (` + s.Role + `).</p>
<ul><li><a href="/api/v1/crossings">crossings</a></li><li><a href="/api/v1/inspections">inspections</a></li>
<li><a href="/api/v1/openapi.json">API description (OpenAPI 3)</a></li><li><a href="/healthz">health</a></li></ul></html>`))
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

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(sw, r)
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}
