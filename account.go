package outbound

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// User is a person who signs in, with a role and a scope of crossings.
type User struct {
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Crossings []string `json:"crossings"` // the scope; empty for national roles, which see every crossing
	// Badge is the officer's badge id: the officer's form records it as
	// theirs, so that it is never typed. Empty for accounts without one;
	// omitted from JSON when empty, so that the digests of accounts made
	// before badges existed stay what the audit log holds.
	Badge    string `json:"badge,omitempty"`
	Disabled bool   `json:"disabled"`
	// MustChangePassword is set for a new account: its first password was
	// shown once, on the command line, and must be replaced.
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

// Token is an API credential of a user. Its secret is shown once, when it
// is made, and stored only as a hash.
type Token struct {
	ID        string     `json:"id"` // public, for lists and revoking
	User      string     `json:"user"`
	Label     string     `json:"label"`
	Crossings []string   `json:"crossings"` // narrower than the user's scope; empty: the user's
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// Session is a signed-in browser.
type Session struct {
	Secret             string // the cookie's value, shown once
	CSRF               string // must come back in X-CSRF-Token on every write
	MustChangePassword bool
	ExpiresAt          time.Time
}

// Limits on sign-in.
const (
	MaxFailedLogins = 5                // in a row from one address, then the account locks for that address
	LockFor         = 15 * time.Minute // how long
	SessionFor      = 12 * time.Hour
	MinPassword     = 12 // characters
	MaxTokenDays    = 366
)

// AccountService manages users and tokens and authenticates them. Every
// method but the Authenticate*, Login and Logout ones needs an actor in the
// context allowed to do it.
type AccountService interface {
	// AddUser creates a user and returns its one-time password.
	AddUser(ctx context.Context, u User) (string, error)
	FindUsers(ctx context.Context) ([]User, error)
	DisableUser(ctx context.Context, name string) error
	// ResetPassword replaces a user's password with a new one-time
	// password, returned, and ends their sessions.
	ResetPassword(ctx context.Context, name string) (string, error)
	// CreateToken makes a token for user, valid for ttl, and returns it
	// with its secret.
	CreateToken(ctx context.Context, user, label string, crossings []string, ttl time.Duration) (Token, string, error)
	RevokeToken(ctx context.Context, id string) error
	FindTokens(ctx context.Context, user string) ([]Token, error)

	// AuthenticateToken returns the actor a token's secret stands for.
	AuthenticateToken(ctx context.Context, secret string) (*Actor, error)
	// Login checks a password and opens a session; repeated failures
	// from one client address lock the account for LockFor from that
	// address.
	Login(ctx context.Context, name, password, addr string) (Session, error)
	// AuthenticateSession returns the actor and session of a cookie.
	AuthenticateSession(ctx context.Context, secret string) (*Actor, Session, error)
	Logout(ctx context.Context, secret string) error
	// ClaimSession ends the session of user that was given the CSRF token
	// csrf, expired or not, and answers ENOTFOUND when user has no such
	// session (another user's, a forged token, or one already claimed or
	// ended by signing out). A form posted after its session ended is
	// carried through the sign-in page and sent only once its user has
	// signed in again and claimed the session it was made in: never for
	// someone else, and never twice.
	ClaimSession(ctx context.Context, user, csrf string) error
	// ChangePassword replaces the context's actor's password (checked by
	// ValidatePassword) and ends the user's sessions but the one whose
	// secret is keep.
	ChangePassword(ctx context.Context, old, new, keep string) error
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// Validate reports the first problem with a new user, naming the field.
func (u *User) Validate() error {
	switch {
	case !namePattern.MatchString(u.Name):
		return Errorf(EINVALID, "name", "name %s must be 2 to 40 lower-case letters, digits, dots, dashes or underscores", Shown(u.Name))
	case !u.Role.Valid():
		return Errorf(EINVALID, "role", "role %s is not %s", Shown(u.Role), oneOf(Roles))
	case u.Role.National() && len(u.Crossings) > 0:
		return Errorf(EINVALID, "crossings", "role %s sees every crossing; give it no crossings", u.Role)
	case !u.Role.National() && len(u.Crossings) == 0:
		return Errorf(EINVALID, "crossings", "role %s needs at least one crossing (--crossing CODE)", u.Role)
	case u.Badge != "" && !ValidBadge(u.Badge):
		return badgeError("badge", u.Badge)
	case u.Badge != strings.ToUpper(u.Badge):
		return Errorf(EINVALID, "badge", "badge %s must be in capitals, as the forms record badges: %s", Shown(u.Badge), strings.ToUpper(u.Badge))
	}
	for i, c := range u.Crossings {
		if !codePattern.MatchString(c) || slices.Contains(u.Crossings[:i], c) {
			return Errorf(EINVALID, "crossings", "crossing %s is not a crossing code, or is listed twice", Shown(c))
		}
	}
	return nil
}

// ActorOf returns the actor a user is, narrowed to crossings when given.
func ActorOf(u User, crossings []string) *Actor {
	a := &Actor{Name: u.Name, Role: u.Role, Badge: u.Badge, Crossings: u.Crossings, AllCrossings: u.Role.National()}
	if len(crossings) > 0 {
		a.Crossings, a.AllCrossings = crossings, false
	}
	return a
}
