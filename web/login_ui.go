package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

type loginView struct {
	Next, Name, Error string
	// Notice says why the sign-in page shows (a session that ended).
	Notice string
	// Carry is a form posted after its session ended, kept on the page
	// until its user has signed in again.
	Carry *carried
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", "Sign in", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// loginForm signs in from the page's form and goes on to the page asked
// for; a failure shows the form again with the reason.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	// Room for a carried form, which the browser encodes once more.
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10+3*maxCarried)
	v := loginView{Next: safeNext(r.PostFormValue("next")), Name: r.PostFormValue("name"), Carry: carriedOf(r)}
	if v.Carry != nil {
		v.Notice = carryNotice
	}
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
	sess, err := s.Accounts.Login(r.Context(), v.Name, r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		v.Error = outbound.ErrorMessage(err)
		status, ok := statusOf[outbound.ErrorCode(err)]
		if !ok {
			status = http.StatusInternalServerError
		}
		s.render(w, r, status, "login", "Sign in", v)
		return
	}
	logUser(r, v.Name)
	setSession(w, r, sess)
	if sess.MustChangePassword {
		v.Next = "/password?next=" + url.QueryEscape(v.Next)
	} else if v.Carry != nil {
		s.sendCarried(w, r, v.Name, sess, *v.Carry)
		return
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
	if err := s.Accounts.ChangePassword(r.Context(), r.PostFormValue("old_password"), r.PostFormValue("new_password"), sessionSecret(r)); err != nil {
		status, ok := s.formFault(w, r, err)
		if !ok {
			return
		}
		v.Error = outbound.ErrorMessage(err)
		s.render(w, r, status, "password", "Choose a password", v)
		return
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}
