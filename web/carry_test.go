package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// mustSupervisor adds a supervisor at Laredo with a password of their own
// and returns the password.
func mustSupervisor(t *testing.T, a *api, name string) string {
	t.Helper()
	ctx := context.Background()
	once, err := a.db.AddUser(testdb.System, outbound.User{Name: name, Role: outbound.Supervisor, Crossings: []string{"2304"}})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := a.db.Login(ctx, name, once, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	actor, _, err := a.db.AuthenticateSession(ctx, sess.Secret)
	if err != nil {
		t.Fatal(err)
	}
	const password = "saguaro lantern kettle 41"
	if err := a.db.ChangePassword(outbound.WithActor(ctx, actor), once, password, sess.Secret); err != nil {
		t.Fatal(err)
	}
	return password
}

// formPost posts a form as a browser does, with a session cookie or none,
// and returns the status, the page and where it sends the browser.
func formPost(t *testing.T, a *api, path string, form url.Values, cookie *http.Cookie, header ...string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", a.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="(carry[a-z_]*)" value="([^"]*)">`)

// carriedFields reads the form a sign-in page holds.
func carriedFields(page string) url.Values {
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func (a *api) staffingCount(t *testing.T) int {
	t.Helper()
	list, _, err := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// A desk form posted after its session ended comes back as the sign-in
// page holding it; signed in again, its user's form is sent, once. It is
// not sent for another user, nor with a token no session of the user was
// given, and a password form is never held.
func TestFormPostedAfterTheSessionEndedIsSentAfterSignIn(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password := mustSupervisor(t, a, "ana")
		other := mustSupervisor(t, a, "bo")
		sess, err := a.db.Login(context.Background(), "ana", password, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		// The session's twelve hours are up: the server no longer takes it.
		if _, err := a.db.SQL().Exec(`UPDATE sessions SET expires_at = created_at`); err != nil {
			t.Fatal(err)
		}
		cookie := &http.Cookie{Name: "outbound_session", Value: sess.Secret}
		shift := url.Values{"csrf_token": {sess.CSRF}, "crossing": {"2304"}, "day": {"2026-03-09"}, "shift": {"day"},
			"hours_planned": {"16"}, "hours_worked": {"12"}, "hours_diverted": {"4"}, "diversion_reason": {"inbound_traffic"}, "notes": {`night "rush" <b>`}}
		status, page, _ := formPost(t, a, "/supervisor/staffing", shift, cookie)
		held := carriedFields(page)
		if status != 401 || !strings.Contains(page, "the form you sent is kept") || held.Get("carry_to") != "/supervisor/staffing" || held.Get("carry_csrf") != sess.CSRF {
			t.Fatalf("a form posted after the session ended: %d, holding %v\n%s", status, held, page)
		}
		if a.staffingCount(t) != 0 {
			t.Fatal("stored before signing in")
		}
		signIn := func(name, password string, carry url.Values) (int, string, string) {
			form := url.Values{"name": {name}, "password": {password}, "next": {"/"}}
			for k, v := range carry {
				form[k] = v
			}
			return formPost(t, a, "/login", form, nil)
		}
		// Someone else signs in on that page: the form is not theirs to send.
		if status, page, _ := signIn("bo", other, held); status != 200 || !strings.Contains(page, "was not sent") || a.staffingCount(t) != 0 {
			t.Fatalf("bo signed in on ana's held form: %d, %d stored\n%s", status, a.staffingCount(t), page)
		}
		forged := url.Values{"carry_to": {"/supervisor/staffing"}, "carry_csrf": {"made-up"}, "carry": held["carry"]}
		if status, page, _ := signIn("ana", password, forged); status != 200 || !strings.Contains(page, "was not sent") || a.staffingCount(t) != 0 {
			t.Fatalf("a held form with a made-up token: %d, %d stored\n%s", status, a.staffingCount(t), page)
		}
		for _, to := range []string{"/password", "/logout", "//elsewhere.example/supervisor/staffing", "/api/v1/staffing"} {
			aimed := url.Values{"carry_to": {to}, "carry_csrf": {sess.CSRF}, "carry": held["carry"]}
			if status, page, _ := signIn("ana", password, aimed); status != 200 || !strings.Contains(page, "was not sent") {
				t.Fatalf("a held form aimed at %s: %d\n%s", to, status, page)
			}
		}
		status, _, to := signIn("ana", password, held)
		if status != 303 || !strings.HasPrefix(to, "/supervisor?") || !strings.Contains(to, "recorded") {
			t.Fatalf("ana signs in again: %d -> %q; want the desk saying the shift is recorded", status, to)
		}
		list, _, _ := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 10})
		if len(list) != 1 || list[0].HoursDiverted != 4 || list[0].Notes != `night "rush" <b>` {
			t.Fatalf("stored: %+v; want the shift as typed", list)
		}
		// The sign-in page sent again (back, then resubmit) sends nothing more.
		if status, page, _ := signIn("ana", password, held); status != 200 || !strings.Contains(page, "was not sent") || a.staffingCount(t) != 1 {
			t.Fatalf("the held form sent twice: %d, %d stored", status, a.staffingCount(t))
		}

		// A password form is never held, and a form from another site is refused.
		if status, page, to := formPost(t, a, "/password", url.Values{"old_password": {password}, "new_password": {"x"}}, cookie); status != 303 || strings.Contains(page, "carry") {
			t.Fatalf("a password form without a session: %d -> %q; want the sign-in page, holding nothing", status, to)
		}
		if status, _, _ := formPost(t, a, "/supervisor/staffing", shift, nil, "Sec-Fetch-Site", "cross-site"); status != 403 {
			t.Fatalf("a form posted from another site: %d; want 403", status)
		}
		huge := url.Values{"crossing": {"2304"}, "notes": {strings.Repeat("n", 60<<10)}}
		if status, page, _ := formPost(t, a, "/supervisor/staffing", huge, nil); status != 401 || !strings.Contains(page, "too large to keep") || len(carriedFields(page)) != 0 {
			t.Fatalf("a form too large to hold: %d\n%.300s", status, page)
		}
	})
}

// Every desk form, the change forms too, posted without a session is held
// on the sign-in page: none answers 405 or drops what was typed.
func TestEveryDeskFormIsKeptThroughSignIn(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		id := uuid.NewString()
		for _, path := range []string{"/supervisor/staffing", "/supervisor/staffing/edit", "/supervisor/schedule", "/supervisor/operation",
			"/supervisor/conflict", "/supervisor/set-apart", "/inspections/" + id + "/edit", "/survey", "/survey/void"} {
			form := url.Values{"csrf_token": {"from-an-ended-session"}, "crossing": {"2304"}, "reason": {"typed before the session ended"}}
			status, page, _ := formPost(t, a, path, form, nil)
			held := carriedFields(page)
			if status != 401 || held.Get("carry_to") != path || !strings.Contains(held.Get("carry"), "typed+before+the+session+ended") {
				t.Errorf("%s posted without a session: %d, holding %v", path, status, held)
			}
		}
	})
}
