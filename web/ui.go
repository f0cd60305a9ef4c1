package web

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
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
	"plain": plain,
	"local": localTime,
	"list":  func(s ...string) []string { return s },
	"inc":   func(n int) int { return n + 1 },
	"seq":   func(n int) []int { return make([]int, n) },
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
	// Lag says, on a page read from a standby that is a second or more
	// behind the primary, how old its figures may be.
	Lag string
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
		add("/outbox", "Outbox")
	case outbound.Supervisor:
		add("/dashboard", "Dashboard")
		add("/capture", "Record")
		add("/outbox", "Outbox")
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
	v.Lag = s.lagNotice()
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
// without a session (holding the form, for one posted), the "not allowed"
// page without the right, else a page saying what went wrong.
func (s *Server) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	switch outbound.ErrorCode(err) {
	case outbound.EUNAUTHORIZED:
		if s.carryForm(w, r) {
			return
		}
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

// formFault returns the status to show a form again with, when err is
// the form's fault (bad input, a conflict); for anything else it answers
// the error page itself and returns false.
func (s *Server) formFault(w http.ResponseWriter, r *http.Request, err error) (int, bool) {
	status, ok := statusOf[outbound.ErrorCode(err)]
	if !ok || status == http.StatusUnauthorized || status == http.StatusForbidden {
		s.pageFail(w, r, err)
		return 0, false
	}
	return status, true
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

// pageQuery is what a page with a period shows: its period and filters,
// the period form as it shows it, and the page's status.
type pageQuery struct {
	Filter outbound.ReportFilter
	Form   periodForm
	Status int
}

// periodForm is a page's from and to as its form shows them: the period
// shown, or, when the one asked for is wrong, what was asked (to be
// corrected) with the problem at its field.
type periodForm struct {
	From, To     string
	Field, Error string // the field at fault ("from" or "to") and why
}

// filtered reads a signed-in page's period and filters, or answers. A
// period a person can correct at the page's form (a date that is not
// one, an end before the start, a period too long) does not stop the
// page: it shows the default period, and the form shows what was asked
// with the problem at its field, with status 400. Anything else (no
// session, a bad filter no form offers) answers the error page.
func (s *Server) filtered(w http.ResponseWriter, r *http.Request) (pageQuery, bool) {
	if _, ok := s.signedIn(w, r); !ok {
		return pageQuery{}, false
	}
	asked := r.URL.Query()
	q := pageQuery{Status: http.StatusOK}
	f, err := s.pageFilter(asked)
	if field := outbound.ErrorField(err); outbound.ErrorCode(err) == outbound.EINVALID && (field == "from" || field == "to") {
		q.Form.Field, q.Form.Error, q.Status = field, outbound.ErrorMessage(err), http.StatusBadRequest
		rest := maps.Clone(asked)
		delete(rest, "from")
		delete(rest, "to")
		f, err = s.pageFilter(rest)
		q.Form.Error += fmt.Sprintf(". Showing the last %d days instead.", pageDays)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return q, false
	}
	q.Filter = f
	q.Form.From, q.Form.To = f.From.String(), f.To.String()
	if q.Form.Field != "" { // the period as typed, where typed
		q.Form.From, q.Form.To = cmp.Or(asked.Get("from"), q.Form.From), cmp.Or(asked.Get("to"), q.Form.To)
	}
	return q, true
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

// static serves the embedded files; versioned URLs may be kept a year.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	// Files only: a folder would be answered with the list of its files,
	// which tells a stranger more than the pages need.
	if info, err := fs.Stat(staticFS, strings.TrimSuffix(strings.TrimPrefix(path.Clean(r.URL.Path), "/"), "/")); err != nil || info.IsDir() {
		http.NotFound(w, r)
		return
	}
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

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// values writes a filter back as a query, for links that keep it.
func values(f outbound.ReportFilter) url.Values {
	v := url.Values{"from": {f.From.String()}, "to": {f.To.String()}}
	for k, x := range map[string]string{"border": f.Border, "field_office": f.FieldOffice, "crossing": f.Crossing} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// crossingLink leads to a crossing's page with a filter's period and
// filters; the page takes its crossing from the path, and no other.
func crossingLink(code string, f outbound.ReportFilter) string {
	f.Crossing = ""
	return link("/crossings/"+code, f)
}

// link is a page path with a filter's query and more parameters.
func link(path string, f outbound.ReportFilter, kv ...string) string {
	v := values(f)
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return path + "?" + v.Encode()
}
