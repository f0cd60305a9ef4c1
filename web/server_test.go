package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/outbound-oss/outbound/web"
)

// api is a real server on 127.0.0.1:0 over a real database; every answer
// it gives in a test is checked against the OpenAPI document.
type api struct {
	t      *testing.T
	url    string
	db     *sqldb.DB
	router routers.Router
	token  string            // sent as a bearer token unless empty
	header map[string]string // more headers to send
	cookie *http.Cookie
}

// as returns a copy of the client that sends token.
func (a *api) as(token string) *api {
	c := *a
	c.token = token
	return &c
}

// mustToken adds a user with role and scope and returns a token of theirs.
func mustToken(t testing.TB, db *sqldb.DB, name string, role outbound.Role, crossings ...string) string {
	t.Helper()
	if _, err := db.AddUser(testdb.System, outbound.User{Name: name, Role: role, Crossings: crossings}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := db.CreateToken(testdb.System, name, "test", nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

var clock = testdb.Clock

func forEachServer(t *testing.T, fn func(t *testing.T, a *api)) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn, testdb.Laredo)
		db.Now = func() time.Time { return clock }
		srv := httptest.NewServer(newServer(db).Handler())
		t.Cleanup(srv.Close)
		token := mustToken(t, db, "sam", outbound.Supervisor, "2304")
		fn(t, &api{t: t, url: srv.URL, db: db, router: mustRouter(t), token: token})
	})
}

func init() {
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

func mustRouter(t *testing.T) routers.Router {
	t.Helper()
	doc := mustDoc(t)
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustDoc(t *testing.T) *openapi3.T {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	return doc
}

// do sends a request and returns the status and body, after checking the
// answer against the OpenAPI document.
func (a *api) do(method, path string, body any) (int, []byte) {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, a.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	if a.cookie != nil {
		req.AddCookie(a.cookie)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	a.validate(req, resp, got)
	return resp.StatusCode, got
}

// noRedirects answers a redirect as it is, so that tests see where a page
// sends the browser.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (a *api) validate(req *http.Request, resp *http.Response, body []byte) {
	a.t.Helper()
	if p := req.URL.Path; !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics" {
		return // a page of the web UI, not the API
	}
	route, params, err := a.router.FindRoute(req)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return // a route the document does not describe, answered 404
		}
		a.t.Fatalf("%s %s is not in openapi.json: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Fatalf("%s %s answered %d %s, which openapi.json does not describe: %v", req.Method, req.URL.Path, resp.StatusCode, body, err)
	}
}

func newServer(db *sqldb.DB) *web.Server {
	return &web.Server{Crossings: db, Inspections: db, Staffing: db, Exits: db, Accounts: db, Audit: db, Sync: db, SetApart: db, Policies: db, Reports: db, Schedules: db, Operations: db, Lanes: db, Surveys: db, Funding: db, Planning: db, Trends: db, Ping: db.Ready, Role: "hq",
		RequestScope: db.WithRequestCache, LoginsPerMinute: 25, Now: func() time.Time { return clock }} // the access table signs in 20 times, on the API and on the page

}

// errorOf decodes an error answer.
func errorOf(t *testing.T, body []byte) (code, field, message string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an error answer: %s", body)
	}
	return e.Error.Code, e.Error.Field, e.Error.Message
}

func TestHealthCrossingsAndUnknownRoutes(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		if status, _ := a.do("GET", "/healthz", nil); status != 200 {
			t.Fatalf("healthz = %d", status)
		}
		status, body := a.do("GET", "/api/v1/crossings", nil)
		var cs struct{ Items []outbound.Crossing }
		json.Unmarshal(body, &cs)
		if status != 200 || len(cs.Items) != 1 || cs.Items[0].Code != "2304" || cs.Items[0].TimeZone != "America/Chicago" {
			t.Fatalf("crossings = %d %s", status, body)
		}
		if status, body = a.do("GET", "/api/v1/crossings/9999", nil); status != 404 {
			t.Fatalf("unknown crossing = %d %s", status, body)
		}
		status, body = a.do("GET", "/api/v1/nothing", nil)
		if code, _, _ := errorOf(t, body); status != 404 || code != "not_found" {
			t.Fatalf("unknown route = %d %s", status, body)
		}
		if status, body = a.do("GET", "/api/v1/openapi.json", nil); status != 200 || !json.Valid(body) {
			t.Fatalf("openapi.json = %d", status)
		}
	})
}

func login(t *testing.T, a *api, name, password string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"name": name, "password": password})
	resp, err := http.Post(a.url+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func decodeBody(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func init() {
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
}
