package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/outbound-oss/outbound"
)

// A page's form posted after its session ended is not lost: the sign-in
// page carries it in hidden fields, and once the user who made it has
// signed in again it is posted as then, under their new session. The
// session it was made in vouches for it: the form's CSRF token must be one
// that session of the same user was given (outbound.AccountService's
// ClaimSession), which also ends that session, so the form is sent once,
// and never for whoever else signs in on that page.

// carried is a page's form kept through the sign-in page.
type carried struct {
	To   string // the path (and query) it was posted to
	CSRF string // the token of the session it was made in
	Form string // its other fields, URL-encoded
}

// maxCarried bounds a carried form (URL-encoded): the desk's forms are a
// few hundred bytes, a full survey a few kilobytes.
const maxCarried = 48 << 10

// notCarried are the page forms never carried through sign-in: signing
// in and out, and passwords.
var notCarried = map[string]bool{"/login": true, "/logout": true, "/password": true}

const carryNotice = "Your session has ended. Sign in again: the form you sent is kept, and is sent once you have signed in."

// carryForm answers a page's form posted without a valid session with the
// sign-in page holding it, and reports whether it did.
func (s *Server) carryForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || !isPage(r) || notCarried[r.URL.Path] {
		return false
	}
	// The handler may have read the form already; if not, it is read here,
	// no further than a form that can be held.
	r.Body = http.MaxBytesReader(w, r.Body, maxCarried)
	v := loginView{Next: "/", Notice: carryNotice}
	form := url.Values{}
	err := r.ParseForm()
	for k, vs := range r.PostForm {
		if k != "csrf_token" {
			form[k] = vs
		}
	}
	if c := (carried{To: r.URL.RequestURI(), CSRF: r.PostForm.Get("csrf_token"), Form: form.Encode()}); err == nil && len(c.Form) <= maxCarried {
		v.Carry = &c
	} else {
		v.Notice = "Your session has ended, and the form was too large to keep: sign in, then fill it in again."
	}
	s.render(w, r, http.StatusUnauthorized, "login", "Sign in", v)
	return true
}

// carriedOf reads a form carried through the sign-in page, if any.
func carriedOf(r *http.Request) *carried {
	to := r.PostFormValue("carry_to")
	if to == "" {
		return nil
	}
	return &carried{To: to, CSRF: r.PostFormValue("carry_csrf"), Form: r.PostFormValue("carry")}
}

// sendCarried posts a carried form as the user who has just signed in
// with sess, if the form was made in a session of theirs; else it says
// that the form was not sent.
func (s *Server) sendCarried(w http.ResponseWriter, r *http.Request, name string, sess outbound.Session, c carried) {
	to, err := url.ParseRequestURI(c.To)
	if err != nil || safeNext(c.To) != c.To || !isPagePath(to.Path) || notCarried[to.Path] || len(c.Form) > maxCarried {
		s.notSent(w, r)
		return
	}
	switch err := s.Accounts.ClaimSession(r.Context(), name, c.CSRF); {
	case outbound.ErrorCode(err) == outbound.ENOTFOUND:
		s.notSent(w, r)
		return
	case err != nil:
		s.pageFail(w, r, err)
		return
	}
	form, _ := url.ParseQuery(c.Form)
	form.Set("csrf_token", sess.CSRF)
	post, err := http.NewRequestWithContext(r.Context(), http.MethodPost, to.RequestURI(), strings.NewReader(form.Encode()))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.AddCookie(&http.Cookie{Name: SessionCookie, Value: sess.Secret})
	post.RemoteAddr, post.Host, post.TLS = r.RemoteAddr, r.Host, r.TLS
	// Through authentication, as any post: the new session and its token
	// are checked, and the form's own route answers (a redirect, or the
	// page with what was wrong).
	s.authenticate(s.mux).ServeHTTP(w, post)
}

// notSent says, to someone just signed in, that the form the sign-in page
// held was not sent.
func (s *Server) notSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "problem", "Signed in", "You are signed in. The form kept on the sign-in page was not sent: "+
		"it was made in another account's session, or was sent already. Nothing was recorded from it.")
}
