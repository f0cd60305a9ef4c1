package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// The web UI: server-rendered pages (html/template) and a few static
// files, all embedded. Pages read through the same services as the API,
// as the signed-in actor; writes from scripts go through the API, plain
// forms post here with the session's CSRF token.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assetVersion names this build's static files: it changes when any of
// them does, so browsers and the service worker fetch the new ones.
var assetVersion = func() string {
	h := sha256.New()
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	t, _ := templateFS.ReadFile("templates/capture.html")
	h.Write(t)
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

var funcs = template.FuncMap{
	"num":   formatNum,
	"usd":   func(x any) string { return "$" + formatNum(x) },
	"pct":   pctOf,
	"join":  strings.Join,
	"title": label,
	"words": words,
	"date":  func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"list":  func(s ...string) []string { return s },
}

// words writes a vocabulary value for people: personal_vehicle as
// "personal vehicle".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// labels are the vocabulary's names where capitalising the words is not
// enough.
var labels = map[string]string{"nii_xray": "NII / X-ray", "nii_anomaly": "NII anomaly", "k9": "K9", "pulse_surge": "Pulse and surge",
	"personal_vehicle": "Personal vehicle", "radiation_portal": "Radiation portal monitor", "handheld_radiation": "Handheld radiation detector",
	"plate_reader": "License-plate reader", "out_of_service": "Out of service", "grid_backup": "Grid with backup"}

// label names a vocabulary value for people.
func label(s string) string {
	if l, ok := labels[s]; ok {
		return l
	}
	return title(words(s))
}

// pages holds each page's template set: the layout and the page.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" {
			continue
		}
		out[base] = template.Must(template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n))
	}
	return out
}()

// view is what every page template gets.
type view struct {
	Title   string
	Actor   *outbound.Actor
	CSRF    string
	Version string
	Nav     []navItem
	Data    any
}

type navItem struct {
	Href, Label string
	Current     bool
}

// nav lists the pages an actor's role uses.
func nav(a *outbound.Actor, current string) []navItem {
	var items []navItem
	add := func(href, label string) {
		items = append(items, navItem{href, label, strings.HasPrefix(current, href)})
	}
	switch a.Role {
	case outbound.Officer:
		add("/capture", "Record")
	case outbound.Supervisor:
		add("/dashboard", "Dashboard")
		add("/capture", "Record")
		add("/supervisor", "Supervisor")
		add("/survey", "Survey")
	case outbound.FieldOffice:
		add("/dashboard", "Dashboard")
		add("/supervisor", "Supervisor")
		add("/survey", "Survey")
	default:
		add("/dashboard", "Dashboard")
	}
	for _, c := range a.Crossings {
		add("/crossings/"+c, "Crossing "+c)
	}
	add("/reports", "Reports")
	return items
}

// render writes a page with the layout, or an error page when the
// template fails (before anything was sent).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	a := outbound.ActorFrom(r.Context())
	v := view{Title: title, Actor: a, Version: assetVersion, Data: data}
	if csrf, ok := r.Context().Value(csrfKey{}).(string); ok {
		v.CSRF = csrf
	}
	if a != nil {
		v.Nav = nav(a, r.URL.Path)
	}
	var b bytes.Buffer
	if err := pages[name].ExecuteTemplate(&b, "layout", v); err != nil {
		s.Logger.Error("template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// pageFail answers a page whose service call failed: to the sign-in page
// without a session, the "not allowed" page without the right, else a
// page saying what went wrong.
func (s *Server) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	switch outbound.ErrorCode(err) {
	case outbound.EUNAUTHORIZED:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case outbound.EFORBIDDEN:
		s.render(w, r, http.StatusForbidden, "forbidden", "Not allowed", outbound.ErrorMessage(err))
	default:
		status, ok := statusOf[outbound.ErrorCode(err)]
		if !ok {
			status = http.StatusInternalServerError
			s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		s.render(w, r, status, "problem", http.StatusText(status), outbound.ErrorMessage(err))
	}
}

// signedIn returns the actor, or sends the browser to sign in.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (*outbound.Actor, bool) {
	a := outbound.ActorFrom(r.Context())
	if a == nil {
		s.pageFail(w, r, outbound.Errorf(outbound.EUNAUTHORIZED, "", "sign in"))
	}
	return a, a != nil
}

// allowed returns the actor if they may do action, or answers the sign-in
// or "not allowed" page.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, action outbound.Action) (*outbound.Actor, bool) {
	a, ok := s.signedIn(w, r)
	if !ok {
		return nil, false
	}
	if err := outbound.Authorize(r.Context(), action, ""); err != nil {
		s.pageFail(w, r, err)
		return nil, false
	}
	return a, true
}

// filtered reads a signed-in page's period and filters, or answers.
func (s *Server) filtered(w http.ResponseWriter, r *http.Request) (outbound.ReportFilter, bool) {
	if _, ok := s.signedIn(w, r); !ok {
		return outbound.ReportFilter{}, false
	}
	f, err := s.pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return f, false
	}
	return f, true
}

// index sends each role to its first page.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	a, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	to := "/dashboard"
	if a.Role == outbound.Officer {
		to = "/capture"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type loginView struct {
	Next, Name, Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", "Sign in", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// loginForm signs in from the page's form and goes on to the page asked
// for; a failure shows the form again with the reason.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	v := loginView{Next: safeNext(r.PostFormValue("next")), Name: r.PostFormValue("name")}
	if !s.limiter.allow(clientAddr(r), time.Now()) {
		v.Error = "Too many sign-in attempts from this address; wait a minute."
		s.render(w, r, http.StatusTooManyRequests, "login", "Sign in", v)
		return
	}
	if v.Name == "" || r.PostFormValue("password") == "" {
		v.Error = "Enter your user name and password."
		s.render(w, r, http.StatusBadRequest, "login", "Sign in", v)
		return
	}
	sess, err := s.Accounts.Login(r.Context(), v.Name, r.PostFormValue("password"))
	if err != nil {
		v.Error = outbound.ErrorMessage(err)
		status, ok := statusOf[outbound.ErrorCode(err)]
		if !ok {
			status = http.StatusInternalServerError
		}
		s.render(w, r, status, "login", "Sign in", v)
		return
	}
	setSession(w, r, sess)
	if sess.MustChangePassword {
		v.Next = "/password?next=" + url.QueryEscape(v.Next)
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// safeNext keeps a redirect inside this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
}

func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.Accounts.Logout(r.Context(), c.Value); err != nil {
			s.pageFail(w, r, err)
			return
		}
	}
	clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// static serves the embedded files; versioned URLs may be kept a year.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") == assetVersion {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.FileServerFS(staticFS).ServeHTTP(w, r)
}

// serviceWorker serves the service worker from the root, so that its
// scope is the whole site, with this build's version in it.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, _ := staticFS.ReadFile("static/sw.js")
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(bytes.ReplaceAll(b, []byte("__VERSION__"), []byte(assetVersion)))
}

func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Write([]byte(`{"name":"outbound","short_name":"outbound","start_url":"/capture","display":"standalone","background_color":"#ffffff","theme_color":"#102a43"}`))
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	s.render(w, r, http.StatusOK, "password", "Choose a password", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// passwordForm changes the signed-in user's password and goes on.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	v := loginView{Next: safeNext(r.PostFormValue("next"))}
	if err := s.Accounts.ChangePassword(r.Context(), r.PostFormValue("old_password"), r.PostFormValue("new_password")); err != nil {
		status, ok := statusOf[outbound.ErrorCode(err)]
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		v.Error = outbound.ErrorMessage(err)
		s.render(w, r, status, "password", "Choose a password", v)
		return
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// captureView is what the officer's form offers.
type captureView struct {
	Crossings  []string
	Modalities []outbound.Modality
	Techniques []outbound.Technique
	Triggers   []outbound.Trigger
	Outcomes   []outbound.Outcome
	Categories []outbound.Category
	Durations  []int
}

// capture serves the officer's form to those who record inspections.
func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteInspection)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "capture", "Record", captureView{Crossings: a.Crossings, Modalities: outbound.Modalities,
		Techniques: outbound.Techniques, Triggers: outbound.Triggers, Outcomes: outbound.Outcomes, Categories: outbound.Categories,
		Durations: []int{5, 10, 15, 30, 60}})
}

// formatNum writes a number for people: thousands separated, at most one
// decimal, and "–" for a missing rate.
func formatNum(v any) string {
	var x float64
	switch n := v.(type) {
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	case float64:
		x = n
	case *float64:
		if n == nil {
			return "–"
		}
		x = *n
	case nil:
		return "–"
	default:
		return fmt.Sprint(v)
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}
