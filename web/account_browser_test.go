package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// A page on another site that posts the sign-in form with its author's
// credentials (login CSRF) does not sign the browser in: the officer who
// opened it records nothing under someone else's name.
func TestBrowserSignInFromAnotherSiteIsRefused(t *testing.T) {
	s := mustSite(t)
	ctx := mustBrowser(t, 1280, 800)
	password, err := s.db.AddUser(testdb.System, outbound.User{Name: "mallory", Role: outbound.Officer, Crossings: []string{"2304"}})
	if err != nil {
		t.Fatal(err)
	}
	// The other site: localhost, while the outbound server is 127.0.0.1,
	// so the browser sees two sites.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/login">
<input name="name" value="mallory"><input name="password" value="%s"><input name="next" value="/capture"></form>
<script>document.getElementById('f').submit()</script>`, s.url, password)
	}))
	t.Cleanup(evil.Close)
	run(t, ctx, chromedp.Navigate(strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)))
	waitFor(t, ctx, `location.href.startsWith(`+jsString(s.url)+`) && document.readyState === 'complete'`)
	if body := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(body, "another site") {
		t.Fatalf("the cross-site sign-in answered %q; want the refusal", body)
	}
	if status := eval[int](t, ctx, `fetch('/api/v1/session').then(r => r.status)`); status != 401 {
		t.Fatalf("after the cross-site post the browser's session answers %d; want 401 (not signed in)", status)
	}
}

// The password page says why a password is refused, keeps the one-time
// password in force, and takes a good one.
func TestBrowserPasswordPageSaysWhy(t *testing.T) {
	s := mustSite(t)
	ctx := mustBrowser(t, 1280, 800)
	password, err := s.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx,
		chromedp.Navigate(s.url+"/capture"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("name"), "olga"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("new")),
	)
	change := func(to string) {
		// Into the page the last submit loaded, fully: typing into a page
		// still being replaced fails to find its fields (seen under load,
		// after the first submit and after the last refusal).
		waitFor(t, ctx, `document.readyState === 'complete' && !!document.getElementById('old')`)
		run(t, ctx,
			chromedp.SendKeys(chromedp.ID("old"), password),
			chromedp.SendKeys(chromedp.ID("new"), to),
			chromedp.Submit(chromedp.ID("new")),
		)
	}
	for _, c := range []struct{ password, says string }{
		{"password1234", "common passwords"},
		{"olga at laredo 2304", "user name"},
	} {
		change(c.password)
		waitFor(t, ctx, `document.querySelector('.error') && document.querySelector('.error').innerText.includes(`+jsString(c.says)+`)`)
	}
	change("saguaro lantern kettle 41")
	waitFor(t, ctx, `location.pathname === '/capture' && document.readyState === 'complete'`)
}
