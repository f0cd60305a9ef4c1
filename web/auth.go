package web

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/outbound-oss/outbound"
)

// SessionCookie is the name of the session cookie of the web UI.
const SessionCookie = "outbound_session"

// authenticate puts the actor of a bearer token or a session cookie in the
// request's context. Credentials that do not check out are refused here;
// no credentials at all leave the request anonymous, and the services
// refuse what needs an actor. Writes with a session cookie must carry the
// session's CSRF token in X-CSRF-Token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if public[r.URL.Path] || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r) // answers the same to anyone, even with the database down
			return
		}
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.fail(w, r, outbound.Errorf(outbound.EUNAUTHORIZED, "", "the Authorization header must be \"Bearer TOKEN\""))
				return
			}
			a, err := s.Accounts.AuthenticateToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			logUser(r, a.Name)
			next.ServeHTTP(w, r.WithContext(outbound.WithActor(ctx, a)))
			return
		}
		c, err := r.Cookie(SessionCookie)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		a, sess, err := s.Accounts.AuthenticateSession(ctx, c.Value)
		if err == nil {
			logUser(r, a.Name)
		}
		if err != nil {
			clearSession(w, r)
			if isPage(r) { // an expired session on a page: sign in again
				next.ServeHTTP(w, r)
				return
			}
			s.fail(w, r, err)
			return
		}
		if unsafe(r.Method) && subtle.ConstantTimeCompare([]byte(csrfOf(r)), []byte(sess.CSRF)) != 1 {
			s.fail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "", "a write with a session cookie needs the session's X-CSRF-Token header"))
			return
		}
		if sess.MustChangePassword && !passwordExempt[r.URL.Path] {
			if isPage(r) {
				http.Redirect(w, r, "/password?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "", "change your one-time password first: POST /api/v1/password"))
			return
		}
		ctx = context.WithValue(outbound.WithActor(ctx, a), csrfKey{}, sess.CSRF)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrfOf returns the CSRF token a write carries: the header for scripts,
// the csrf_token field for the pages' plain HTML forms.
func csrfOf(r *http.Request) string {
	if h := r.Header.Get("X-CSRF-Token"); h != "" {
		return h
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && isPage(r) {
		r.Body = http.MaxBytesReader(nil, r.Body, MaxBodyBytes)
		return r.PostFormValue("csrf_token")
	}
	return ""
}

// csrfKey holds the session's CSRF token in a request's context, for the
// pages to put in their forms.
type csrfKey struct{}

// isPage reports whether a request is for a page of the web UI rather
// than the API.
func isPage(r *http.Request) bool { return isPagePath(r.URL.Path) }

// isPagePath reports whether a path is a page's: everything but the API
// and the probes and metrics that machines read.
func isPagePath(p string) bool {
	return !strings.HasPrefix(p, "/api/") && p != "/metrics" && p != "/healthz" && p != "/readyz"
}

// public are the paths that need no credentials and never look at them.
// Signing in is one: it checks its own credentials, and a stale or other
// user's cookie must not stand in its way.
var public = map[string]bool{"/login": true, "/healthz": true, "/readyz": true, "/metrics": true, "/api/v1/openapi.json": true, "/api/v1/login": true,
	"/sw.js": true, "/manifest.webmanifest": true}

// passwordExempt are the paths a session that must change its password may use.
var passwordExempt = map[string]bool{"/api/v1/password": true, "/api/v1/logout": true, "/api/v1/session": true,
	"/password": true, "/logout": true}

func unsafe(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// sessionInfo answers a sign-in and GET /api/v1/session.
type sessionInfo struct {
	Name               string   `json:"name"`
	Role               string   `json:"role"`
	Crossings          []string `json:"crossings"`
	AllCrossings       bool     `json:"all_crossings"`
	CSRFToken          string   `json:"csrf_token,omitempty"`
	MustChangePassword bool     `json:"must_change_password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.limiter.allow(clientAddr(r), time.Now()) {
		s.fail(w, r, outbound.Errorf(outbound.ERATELIMIT, "", "too many sign-in attempts from this address; wait a minute"))
		return
	}
	var req loginRequest
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	sess, err := s.Accounts.Login(r.Context(), req.Name, req.Password, clientAddr(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	logUser(r, req.Name)
	setSession(w, r, sess)
	a, _, err := s.Accounts.AuthenticateSession(r.Context(), sess.Secret)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, infoOf(a, sess))
}

func infoOf(a *outbound.Actor, sess outbound.Session) sessionInfo {
	crossings := a.Crossings
	if crossings == nil || a.AllCrossings {
		crossings = []string{}
	}
	return sessionInfo{Name: a.Name, Role: string(a.Role), Crossings: crossings, AllCrossings: a.AllCrossings,
		CSRFToken: sess.CSRF, MustChangePassword: sess.MustChangePassword}
}

func (s *Server) session(w http.ResponseWriter, r *http.Request) {
	a := outbound.ActorFrom(r.Context())
	if a == nil {
		s.fail(w, r, outbound.Authorize(r.Context(), outbound.ReadRecords, ""))
		return
	}
	var sess outbound.Session
	if c, err := r.Cookie(SessionCookie); err == nil && r.Header.Get("Authorization") == "" {
		_, sess, _ = s.Accounts.AuthenticateSession(r.Context(), c.Value)
	}
	writeJSON(w, http.StatusOK, infoOf(a, sess))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.Accounts.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// sessionSecret returns the secret of the session a request was
// authenticated with, or "" when it used a token (which authenticate
// prefers to a cookie).
func sessionSecret(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return ""
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func setSession(w http.ResponseWriter, r *http.Request, sess outbound.Session) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Secret, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

type passwordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req passwordRequest
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Accounts.ChangePassword(r.Context(), req.OldPassword, req.NewPassword, sessionSecret(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) checkpoints(w http.ResponseWriter, r *http.Request) {
	cps, err := s.Audit.FindCheckpoints(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(cps, ""))
}

// decodeOne reads one small JSON object strictly.
func decodeOne(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if e := decodeStrict(body, v); e != nil {
		return e
	}
	return nil
}

// limiter allows a few attempts per address and minute: sign-in guessing
// from one address slows to a crawl. The service's lock-out, per account
// and address, then stops that address guessing one account, without
// locking the account's owner out from elsewhere.
type limiter struct {
	mu      sync.Mutex
	perMin  int
	windows map[string]window
}

type window struct {
	start time.Time
	n     int
}

func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.windows == nil || len(l.windows) > 100_000 { // forget everyone rather than grow without bound
		l.windows = map[string]window{}
	}
	w := l.windows[addr]
	if now.Sub(w.start) > time.Minute {
		w = window{start: now}
	}
	w.n++
	l.windows[addr] = w
	return w.n <= l.perMin
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
