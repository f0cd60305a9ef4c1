package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

func TestSignInLockOutAndPasswordChange(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		password, err := db.AddUser(testdb.System, outbound.User{Name: "ana", Role: outbound.Supervisor, Crossings: []string{"2304"}})
		if err != nil || len(password) < 20 || outbound.ValidatePassword("ana", password) != nil {
			t.Fatalf("add user: %q, %v", password, err)
		}
		if _, err := db.AddUser(testdb.System, outbound.User{Name: "ana", Role: outbound.Officer, Crossings: []string{"2304"}}); outbound.ErrorCode(err) != outbound.ECONFLICT {
			t.Fatalf("a second ana: %v", err)
		}
		if _, err := db.AddUser(testdb.System, outbound.User{Name: "bo", Role: outbound.Officer, Crossings: []string{"0000"}}); outbound.ErrorField(err) != "crossings" {
			t.Fatalf("a user at an unknown crossing: %v", err)
		}
		const here, there = "192.0.2.10", "198.51.100.7"
		s, err := db.Login(ctx, "ana", password, here)
		if err != nil || !s.MustChangePassword || s.CSRF == "" {
			t.Fatalf("first sign-in: %+v, %v; want a session that must change its password", s, err)
		}
		actor, _, err := db.AuthenticateSession(ctx, s.Secret)
		if err != nil || actor.Name != "ana" || actor.Role != outbound.Supervisor || !actor.InScope("2304") || actor.InScope("3004") {
			t.Fatalf("session actor = %+v, %v", actor, err)
		}
		as := outbound.WithActor(ctx, actor)
		elsewhere, err := db.Login(ctx, "ana", password, there) // a second browser
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ChangePassword(as, password, "short", s.Secret); outbound.ErrorField(err) != "new_password" {
			t.Fatalf("short password: %v", err)
		}
		if err := db.ChangePassword(as, "wrong", "a much longer password", s.Secret); outbound.ErrorField(err) != "old_password" {
			t.Fatalf("wrong old password: %v", err)
		}
		if err := db.ChangePassword(as, password, "a much longer password", s.Secret); err != nil {
			t.Fatal(err)
		}
		if _, s, _ = db.AuthenticateSession(ctx, s.Secret); s.MustChangePassword {
			t.Fatal("still must change the password after changing it")
		}
		if _, _, err := db.AuthenticateSession(ctx, elsewhere.Secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("the other session survived the password change: %v", err)
		}

		for i := range outbound.MaxFailedLogins {
			if _, err := db.Login(ctx, "ana", "guess", there); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
				t.Fatalf("failed sign-in %d: %v", i+1, err)
			}
		}
		if _, err := db.Login(ctx, "ana", "a much longer password", there); outbound.ErrorCode(err) != outbound.ERATELIMIT {
			t.Fatalf("sign-in while locked: %v; want rate_limited even with the right password", err)
		}
		// The guesses came from there: ana, here, is not locked out.
		if _, err := db.Login(ctx, "ana", "a much longer password", here); err != nil {
			t.Fatalf("sign-in from another address while one is locked: %v", err)
		}
		db.Now = func() time.Time { return clock.Add(outbound.LockFor + time.Second) }
		if _, err := db.Login(ctx, "ana", "a much longer password", there); err != nil {
			t.Fatalf("sign-in after the lock: %v", err)
		}
		if _, err := db.Login(ctx, "nobody", "x", here); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("unknown user: %v", err)
		}

		if err := db.DisableUser(testdb.System, "ana"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.AuthenticateSession(ctx, s.Secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("session of a disabled user: %v", err)
		}
		if _, err := db.Login(ctx, "ana", "a much longer password", here); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("sign-in of a disabled user: %v", err)
		}
	})
}

// A new password is refused, with the reason and nothing changed, when it
// is short, holds the user name, is a common password or is easy to guess.
func TestPasswordRules(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		password, err := db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.Login(ctx, "olga", password, "192.0.2.10")
		if err != nil {
			t.Fatal(err)
		}
		actor, _, _ := db.AuthenticateSession(ctx, s.Secret)
		as := outbound.WithActor(ctx, actor)
		for _, c := range []struct{ password, says string }{
			{"eleven char", "at least 12 characters"},
			{"Laredo-OLGA-lane-3", "user name"},
			{"qwertyuiop123", "most common passwords"},
			{"password1234", "most common passwords"},
			{"aaaaaaaaaaaaaaaa", "too easy to guess: it is made of the repeat"},
			{"winterwinter2026", "too easy to guess"},
			{strings.Repeat("long enough ", 30), "at most 256 characters"},
		} {
			err := db.ChangePassword(as, password, c.password, s.Secret)
			if outbound.ErrorField(err) != "new_password" || !strings.Contains(outbound.ErrorMessage(err), c.says) {
				t.Errorf("password %q: %v; want new_password refused saying %q", c.password, err, c.says)
			}
		}
		if _, s, _ := db.AuthenticateSession(ctx, s.Secret); !s.MustChangePassword {
			t.Fatal("a refused password changed the account")
		}
		if err := db.ChangePassword(as, password, "saguaro lantern kettle 41", s.Secret); err != nil {
			t.Fatalf("a good passphrase: %v", err)
		}
	})
}

// An admin's reset gives a new one-time password and signs the user out
// everywhere; the old password stops working; the log still verifies.
func TestResetPasswordEndsSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		old, err := db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.Login(ctx, "olga", old, "192.0.2.10")
		if err != nil {
			t.Fatal(err)
		}
		officer, _, _ := db.AuthenticateSession(ctx, s.Secret)
		if _, err := db.ResetPassword(outbound.WithActor(ctx, officer), "olga"); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer resets a password: %v", err)
		}
		password, err := db.ResetPassword(testdb.System, "olga")
		if err != nil || outbound.ValidatePassword("olga", password) != nil || password == old {
			t.Fatalf("reset: %q, %v", password, err)
		}
		if _, _, err := db.AuthenticateSession(ctx, s.Secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("a session survived the reset: %v", err)
		}
		if _, err := db.Login(ctx, "olga", old, "192.0.2.10"); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("the old password after the reset: %v", err)
		}
		if s, err := db.Login(ctx, "olga", password, "192.0.2.10"); err != nil || !s.MustChangePassword {
			t.Fatalf("the new one-time password: %+v, %v; want a session that must change it", s, err)
		}
		if _, err := db.ResetPassword(testdb.System, "nobody"); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("reset an unknown user: %v", err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || len(rep.Problems) > 0 {
			t.Fatalf("verify after a reset: %+v, %v", rep, err)
		}
	})
}

// A form made in a session that has since ended may be sent by its user
// signed in again, once: the session is claimed by that user only, expired
// or not, and a second claim finds nothing.
func TestClaimSession(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		signIn := func(name string) outbound.Session {
			password, err := db.AddUser(testdb.System, outbound.User{Name: name, Role: outbound.Supervisor, Crossings: []string{"2304"}})
			if err != nil {
				t.Fatal(err)
			}
			s, err := db.Login(ctx, name, password, "192.0.2.10")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		ana, bo := signIn("ana"), signIn("bo")
		db.Now = func() time.Time { return clock.Add(outbound.SessionFor + time.Minute) }
		defer func() { db.Now = func() time.Time { return clock } }()
		if _, _, err := db.AuthenticateSession(ctx, ana.Secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("an expired session still authenticates: %v", err)
		}
		for _, c := range []struct{ user, csrf, why string }{
			{"bo", ana.CSRF, "another user's session"},
			{"ana", "forged", "a token no session was given"},
			{"ana", "", "no token"},
		} {
			if err := db.ClaimSession(ctx, c.user, c.csrf); outbound.ErrorCode(err) != outbound.ENOTFOUND {
				t.Errorf("%s claimed: %v; want not found", c.why, err)
			}
		}
		if err := db.ClaimSession(ctx, "ana", ana.CSRF); err != nil {
			t.Fatalf("ana claims her expired session: %v", err)
		}
		if err := db.ClaimSession(ctx, "ana", ana.CSRF); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("the same session claimed twice: %v", err)
		}
		if err := db.ClaimSession(ctx, "bo", bo.CSRF); err != nil {
			t.Fatalf("bo's session, untouched by the others: %v", err)
		}
	})
}

func TestTokensExpireRevokeAndNarrow(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustUser(t, db, "fo", outbound.FieldOffice, "2304", "3004")
		tok, secret, err := db.CreateToken(testdb.System, "fo", "laredo only", []string{"2304"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.AuthenticateToken(ctx, secret)
		if err != nil || a.InScope("3004") || !a.InScope("2304") || a.Role != outbound.FieldOffice {
			t.Fatalf("narrowed token actor = %+v, %v", a, err)
		}
		if _, _, err := db.CreateToken(testdb.System, "fo", "", []string{"0101"}, time.Hour); outbound.ErrorField(err) != "crossings" {
			t.Fatalf("a token wider than its user: %v", err)
		}
		if _, err := db.AuthenticateToken(ctx, secret+"x"); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("a wrong secret: %v", err)
		}
		db.Now = func() time.Time { return clock.Add(25 * time.Hour) }
		if _, err := db.AuthenticateToken(ctx, secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("an expired token: %v", err)
		}
		db.Now = func() time.Time { return clock }
		if err := db.RevokeToken(testdb.System, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AuthenticateToken(ctx, secret); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("a revoked token: %v", err)
		}
		list, err := db.FindTokens(testdb.System, "fo")
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil {
			t.Fatalf("tokens = %+v, %v", list, err)
		}
	})
}

// mustUser adds a user and returns a context acting as them.
func mustUser(t *testing.T, db *sqldb.DB, name string, role outbound.Role, crossings ...string) context.Context {
	t.Helper()
	u := outbound.User{Name: name, Role: role, Crossings: crossings}
	if _, err := db.AddUser(testdb.System, u); err != nil {
		t.Fatal(err)
	}
	return outbound.WithActor(context.Background(), outbound.ActorOf(u, nil))
}

func TestServicesAuthorizeEveryCall(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		officer := mustUser(t, db, "olga", outbound.Officer, "2304")
		supervisor := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		analyst := mustUser(t, db, "hana", outbound.HQAnalyst)
		north := mustUser(t, db, "nils", outbound.Officer, "3004")
		start := time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)

		v1 := inspection(start)
		if _, err := db.RecordInspections(context.Background(), []outbound.Inspection{v1}); outbound.ErrorCode(err) != outbound.EUNAUTHORIZED {
			t.Fatalf("nobody: %v", err)
		}
		if _, err := db.RecordInspections(analyst, []outbound.Inspection{v1}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("analyst writes: %v", err)
		}
		atBlaine := inspection(start)
		atBlaine.Crossing = "3004"
		_, err := db.RecordInspections(officer, []outbound.Inspection{v1, atBlaine})
		if outbound.ErrorCode(err) != outbound.EFORBIDDEN || outbound.ErrorField(err) != "[1].crossing" {
			t.Fatalf("officer writes at another crossing: %v", err)
		}
		if n := count(t, db); n != 0 {
			t.Fatalf("a forbidden batch stored %d inspections", n)
		}
		if res, err := db.RecordInspections(officer, []outbound.Inspection{v1}); err != nil || res[0].Status != outbound.Created {
			t.Fatalf("officer at their crossing: %v %v", res, err)
		}
		if _, err := db.RecordInspections(north, []outbound.Inspection{atBlaine}); err != nil {
			t.Fatal(err)
		}
		edit := v1
		edit.ID, edit.Replaces, edit.Reason = uuid.New(), &v1.ID, "typo"
		if _, err := db.RecordInspections(officer, []outbound.Inspection{edit}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("officer edits: %v", err)
		}
		if res, err := db.RecordInspections(supervisor, []outbound.Inspection{edit}); err != nil || res[0].Status != outbound.Created {
			t.Fatalf("supervisor edits: %v %v", res, err)
		}
		// Reads follow the scope: all of it for the analyst, their crossing for the others.
		for ctx, want := range map[context.Context]int{analyst: 2, officer: 1, north: 1} {
			list, _, err := db.FindInspections(ctx, outbound.InspectionFilter{})
			if err != nil || len(list) != want {
				t.Errorf("%s lists %d inspections, %v; want %d", outbound.ActorFrom(ctx), len(list), err, want)
			}
		}
		if _, _, err := db.FindInspections(officer, outbound.InspectionFilter{Filter: outbound.Filter{Crossing: "3004"}}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("officer reads another crossing: %v", err)
		}
		if _, err := db.FindInspection(north, v1.ID); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("officer reads another crossing's inspection by id: %v", err)
		}
		if _, err := db.AddUser(supervisor, outbound.User{Name: "eve", Role: outbound.Admin}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("supervisor adds an admin: %v", err)
		}
		if err := db.SavePorts(analyst, []outbound.Port{testdb.Laredo}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("analyst saves ports: %v", err)
		}
	})
}

func count(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	list, _, err := db.FindInspections(testdb.System, outbound.InspectionFilter{IncludeVoided: true, Filter: outbound.Filter{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}
