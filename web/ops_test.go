package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// /healthz says the process lives whatever the database does; /readyz
// says whether the database can be read.
func TestReadinessFollowsTheDatabase(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		for _, path := range []string{"/healthz", "/readyz"} {
			if status, body := a.do("GET", path, nil); status != 200 {
				t.Fatalf("%s = %d %s", path, status, body)
			}
		}
		a.db.Close()
		if status, _ := a.do("GET", "/healthz", nil); status != 200 {
			t.Fatalf("healthz with a closed database = %d; want 200: it is a liveness check", status)
		}
		if status, _ := a.do("GET", "/readyz", nil); status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with a closed database = %d; want 503", status)
		}
	})
}

// A database that is open but cannot be read any more: on SQLite the
// file is removed or overwritten under the server; on PostgreSQL the
// server's schema is gone.
func TestReadinessFailsWhenTheDatabaseCannotBeRead(t *testing.T) {
	ready := func(t *testing.T, srv *httptest.Server) int {
		t.Helper()
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	open := func(t *testing.T, dsn string) (*sqldb.DB, *httptest.Server) {
		db := testdb.Open(t, dsn, testdb.Laredo)
		srv := httptest.NewServer(newServer(db).Handler())
		t.Cleanup(srv.Close)
		if status := ready(t, srv); status != 200 {
			t.Fatalf("readyz of a good database = %d", status)
		}
		return db, srv
	}
	t.Run("sqlite-missing", func(t *testing.T) {
		dsn := testdb.SQLite(t)
		_, srv := open(t, dsn)
		path := strings.TrimPrefix(dsn, "sqlite:")
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(f)
		}
		if status := ready(t, srv); status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with the file removed = %d; want 503", status)
		}
	})
	t.Run("sqlite-corrupt", func(t *testing.T) {
		dsn := testdb.SQLite(t)
		db, srv := open(t, dsn)
		// Pages move from the write-ahead log into the file at
		// checkpoints, which SQLite makes every 1,000 pages: a file at
		// rest holds its pages. Then its first pages are overwritten.
		if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(strings.TrimPrefix(dsn, "sqlite:"), os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteAt(bytes.Repeat([]byte("garbage!"), 512), 0) // the header and the first page
		f.Close()
		if status := ready(t, srv); status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with the file overwritten = %d; want 503", status)
		}
	})
	t.Run("postgres-gone", func(t *testing.T) {
		db, srv := open(t, testdb.Postgres(t))
		var schema string
		if err := db.SQL().QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Fatal(err)
		}
		if status := ready(t, srv); status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with the schema dropped = %d; want 503", status)
		}
	})
}

// API answers are never cached; a folder of static files is not listed.
func TestAPIAnswersAreNotStoredAndStaticIsNotListed(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		for _, path := range []string{"/api/v1/crossings", "/api/v1/inspections?crossing=2304", "/api/v1/nothing"} {
			resp := a.get(path)
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q; want no-store", path, cc)
			}
		}
		resp := a.as("").get("/api/v1/session") // an error answer too
		if resp.StatusCode != 401 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("unauthenticated session: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		for _, path := range []string{"/static/", "/static", "/static/."} {
			resp, err := http.Get(a.url + path)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 404 || strings.Contains(b.String(), "app.css") {
				t.Errorf("%s = %d %q; want 404 without the list of files", path, resp.StatusCode, b.String())
			}
		}
		if resp := a.as("").get("/static/app.css"); resp.StatusCode != 200 {
			t.Errorf("a static file = %d", resp.StatusCode)
		}
	})
}

// get sends a GET and returns the answer with its body read and closed.
func (a *api) get(path string) *http.Response {
	a.t.Helper()
	req, _ := http.NewRequest("GET", a.url+path, nil)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	return resp
}

// A page on another site cannot sign the browser in (login CSRF): the
// browser says where the post comes from, and the server refuses it
// before looking at the credentials.
func TestSignInFromAnotherSiteIsRefused(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"name": {"olga"}, "password": {password}, "next": {"/"}}.Encode()
		api, _ := json.Marshal(map[string]string{"name": "olga", "password": password})
		post := func(path, contentType, body string, header map[string]string) *http.Response {
			req, _ := http.NewRequest("POST", a.url+path, strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		for _, evil := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
			{"Origin": "https://evil.example"}, // a browser that sends no Sec-Fetch-Site
		} {
			for _, p := range []struct{ path, contentType, body string }{
				{"/login", "application/x-www-form-urlencoded", form},
				{"/api/v1/login", "text/plain", string(api)}, // what a form can send across sites without a preflight
			} {
				resp := post(p.path, p.contentType, p.body, evil)
				if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
					t.Errorf("%s from another site %v = %d with cookies %v; want 403 and no session", p.path, evil, resp.StatusCode, resp.Cookies())
				}
			}
		}
		// The same sign-ins from this site's own page, and from a client
		// that is not a browser, go through.
		if resp := post("/login", "application/x-www-form-urlencoded", form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": a.url}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("sign-in from the page = %d; want 303", resp.StatusCode)
		}
		if resp := post("/api/v1/login", "application/json", string(api), nil); resp.StatusCode != 200 {
			t.Errorf("sign-in from a script = %d; want 200", resp.StatusCode)
		}
	})
}

// fromAddr returns a client whose connections come from the loopback
// address ip (Linux answers all of 127.0.0.0/8), for tests of per-address
// rules against a server on 127.0.0.1.
func fromAddr(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Five wrong passwords from one address lock the account for that address
// only: the officer still signs in from her own.
func TestSignInLockIsPerAccountAndAddress(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		signIn := func(c *http.Client, password string) int {
			body, _ := json.Marshal(map[string]string{"name": "olga", "password": password})
			resp, err := c.Post(a.url+"/api/v1/login", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		attacker, olga := fromAddr("127.0.0.2"), fromAddr("127.0.0.1")
		for i := range outbound.MaxFailedLogins {
			if status := signIn(attacker, "guess number "+string(rune('a'+i))); status != 401 {
				t.Fatalf("guess %d = %d; want 401", i+1, status)
			}
		}
		if status := signIn(attacker, password); status != http.StatusTooManyRequests {
			t.Fatalf("the right password from the guessing address = %d; want 429", status)
		}
		if status := signIn(olga, password); status != 200 {
			t.Fatalf("olga from her own address = %d; want 200: guesses elsewhere must not lock her out", status)
		}
	})
}

// Changing a password signs out every other browser of the user, and the
// reason a password is refused reaches the user.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		session := func() *api {
			resp := login(t, a, "olga", password)
			var info struct {
				CSRFToken string `json:"csrf_token"`
			}
			var cookie *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == "outbound_session" {
					cookie = c
				}
			}
			decodeBody(t, resp, &info)
			b := a.as("")
			b.cookie = cookie
			b.header = map[string]string{"X-CSRF-Token": info.CSRFToken}
			return b
		}
		phone, desk := session(), session()
		status, body := phone.do("POST", "/api/v1/password", map[string]string{"old_password": password, "new_password": "olga-2304-laredo"})
		if _, field, msg := errorOf(t, body); status != 400 || field != "new_password" || !strings.Contains(msg, "user name") {
			t.Fatalf("a password with the user name = %d %s; want 400 naming new_password and why", status, body)
		}
		status, body = phone.do("POST", "/api/v1/password", map[string]string{"old_password": password, "new_password": "password1234"})
		if _, field, msg := errorOf(t, body); status != 400 || field != "new_password" || !strings.Contains(msg, "common passwords") {
			t.Fatalf("a common password = %d %s; want 400 naming new_password and why", status, body)
		}
		if status, _ := desk.do("GET", "/api/v1/session", nil); status != 200 {
			t.Fatalf("the desk's session before the change = %d", status)
		}
		if status, body := phone.do("POST", "/api/v1/password", map[string]string{"old_password": password, "new_password": "saguaro lantern kettle 41"}); status != 204 {
			t.Fatalf("change = %d %s", status, body)
		}
		if status, _ := desk.do("GET", "/api/v1/session", nil); status != 401 {
			t.Fatalf("the desk's session after the change = %d; want 401", status)
		}
		if status, _ := phone.do("GET", "/api/v1/crossings", nil); status != 200 {
			t.Fatalf("the session that changed the password = %d; want 200", status)
		}
	})
}

// The request log says who asked and from where, and never the secret
// they asked with.
func TestRequestLogNamesUserAndAddress(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn, testdb.Laredo)
		var mu sync.Mutex
		var logs bytes.Buffer
		s := newServer(db)
		s.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{mu: &mu, w: &logs}, nil))
		srv := httptest.NewServer(s.Handler())
		t.Cleanup(srv.Close)
		token := mustToken(t, db, "sam", outbound.Supervisor, "2304")
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/api/v1/crossings", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := fromAddr("127.0.0.3").Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		var line struct{ Msg, Path, User, Addr string }
		for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			json.Unmarshal([]byte(l), &line)
			if line.Msg == "request" && line.Path == "/api/v1/crossings" {
				break
			}
		}
		if line.User != "sam" || line.Addr != "127.0.0.3" {
			t.Fatalf("request log = %+v; want user sam from 127.0.0.3\n%s", line, logs.String())
		}
		if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), strings.TrimPrefix(token, "obt_")) {
			t.Fatal("the request log holds the token")
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
