package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/outbound-oss/outbound"
)

// secretHash stores high-entropy secrets (tokens, session cookies): a fast
// hash suffices where a password would need argon2.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// dummyHash makes a sign-in with an unknown name cost as much as one with
// a wrong password, so that timing does not tell which names exist.
var dummyHash = outbound.HashPassword("no such user")

// oneTimePassword makes a first or reset password: 20 random characters,
// drawn again in the rare case that they break the rule every password
// keeps (a two-letter user name turns up in about one in fifty).
func oneTimePassword(name string) string {
	for {
		if p := outbound.NewSecret("", 15); outbound.ValidatePassword(name, p) == nil {
			return p
		}
	}
}

// AddUser creates a user with a generated one-time password.
func (db *DB) AddUser(ctx context.Context, u outbound.User) (string, error) {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return "", err
	}
	if err := u.Validate(); err != nil {
		return "", err
	}
	password := oneTimePassword(u.Name)
	row := outbound.UserRecord{User: u, PasswordHash: outbound.HashPassword(password)}
	row.MustChangePassword, row.Disabled = true, false
	row.CreatedAt = db.Now().UTC().Truncate(time.Microsecond)
	if row.Crossings == nil {
		row.Crossings = []string{}
	}
	err := db.inTx(ctx, func(tx *txn) error {
		zones, err := db.crossingZones(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range u.Crossings {
			if _, ok := zones[c]; !ok {
				return outbound.Errorf(outbound.EINVALID, "crossings", "crossing %q does not exist", c)
			}
		}
		res, err := tx.exec(ctx, `INSERT INTO users (name, role, crossings, password_hash, must_change, disabled, created_at, badge)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			row.Name, string(row.Role), joinList(row.Crossings), row.PasswordHash, true, false, ts(row.CreatedAt), row.Badge)
		if ok, err := inserted(res, err); err != nil {
			return err
		} else if !ok {
			return db.userTaken(ctx, tx, u)
		}
		return db.appendAudit(ctx, tx, []change{{action: "user.add", subject: "user:" + row.Name, after: outbound.Digest(row)}})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// userTaken says which unique key a user that was not inserted collides
// on: its name, or its badge, which belongs to one account.
func (db *DB) userTaken(ctx context.Context, tx *txn, u outbound.User) error {
	var owner string
	err := tx.queryRow(ctx, `SELECT name FROM users WHERE badge = ? AND badge <> ''`, u.Badge).Scan(&owner)
	switch {
	case err == nil && owner != u.Name:
		return outbound.Errorf(outbound.ECONFLICT, "badge", "badge %s belongs to user %q", u.Badge, owner)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find badge: %w", err)
	}
	return outbound.Errorf(outbound.ECONFLICT, "name", "user %q already exists", u.Name)
}

const userColumns = `name, role, crossings, password_hash, must_change, disabled, created_at, badge`

// userByName reads one user, or ENOTFOUND.
func (db *DB) userByName(ctx context.Context, q querier, name string) (outbound.UserRecord, error) {
	u, err := scanUser(q.QueryRowContext(ctx, db.Rebind(`SELECT `+userColumns+` FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, outbound.Errorf(outbound.ENOTFOUND, "name", "user %q does not exist", name)
	} else if err != nil {
		return u, fmt.Errorf("find user %s: %w", name, err)
	}
	return u, nil
}

func scanUser(s scanner) (outbound.UserRecord, error) {
	var u outbound.UserRecord
	var crossings string
	err := s.Scan(&u.Name, &u.Role, &crossings, &u.PasswordHash, &u.MustChangePassword, &u.Disabled, dbTime{&u.CreatedAt}, &u.Badge)
	u.Crossings = splitList[string](crossings)
	return u, err
}

// FindUsers lists every user by name.
func (db *DB) FindUsers(ctx context.Context) ([]outbound.User, error) {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var us []outbound.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		us = append(us, u.User)
	}
	return us, rows.Err()
}

// updateUser changes one user in a transaction, auditing before and after.
func (db *DB) updateUser(ctx context.Context, tx *txn, name, action string, edit func(*outbound.UserRecord)) error {
	before, err := db.userByName(ctx, tx, name)
	if err != nil {
		return err
	}
	after := before
	edit(&after)
	if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change = ?, disabled = ? WHERE name = ?`,
		after.PasswordHash, after.MustChangePassword, after.Disabled, name); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return db.appendAudit(ctx, tx, []change{{action: action, subject: "user:" + name,
		before: outbound.Digest(before), after: outbound.Digest(after)}})
}

// DisableUser stops a user from signing in or using tokens, and ends their sessions.
func (db *DB) DisableUser(ctx context.Context, name string) error {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		if err := db.updateUser(ctx, tx, name, "user.disable", func(u *outbound.UserRecord) { u.Disabled = true }); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_name = ?`, name)
		return err
	})
}

// ResetPassword gives a user a new one-time password in place of one
// forgotten, ends every session of theirs, and returns the password: it
// must be changed at the next sign-in, like a new account's. Tokens stay:
// they are revoked on their own.
func (db *DB) ResetPassword(ctx context.Context, name string) (string, error) {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return "", err
	}
	password := oneTimePassword(name)
	err := db.inTx(ctx, func(tx *txn) error {
		u, err := db.userByName(ctx, tx, name)
		if err != nil {
			return err
		}
		if u.Disabled {
			return outbound.Errorf(outbound.EINVALID, "name", "user %q is disabled", name)
		}
		if err := db.updateUser(ctx, tx, name, "user.reset", func(u *outbound.UserRecord) {
			u.PasswordHash, u.MustChangePassword = outbound.HashPassword(password), true
		}); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_name = ?`, name)
		return err
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// CreateToken makes a token for user, valid for ttl.
func (db *DB) CreateToken(ctx context.Context, user, label string, crossings []string, ttl time.Duration) (outbound.Token, string, error) {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return outbound.Token{}, "", err
	}
	if ttl <= 0 || ttl > outbound.MaxTokenDays*24*time.Hour {
		return outbound.Token{}, "", outbound.Errorf(outbound.EINVALID, "expires", "a token lasts 1 to %d days", outbound.MaxTokenDays)
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	secret := outbound.NewSecret("obt_", 32)
	t := outbound.TokenRecord{Token: outbound.Token{ID: outbound.NewSecret("tok_", 6), User: user, Label: label,
		Crossings: crossings, CreatedAt: now, ExpiresAt: now.Add(ttl)}, SecretHash: secretHash(secret)}
	if t.Crossings == nil {
		t.Crossings = []string{}
	}
	err := db.inTx(ctx, func(tx *txn) error {
		u, err := db.userByName(ctx, tx, user)
		if err != nil {
			return err
		}
		if u.Disabled {
			return outbound.Errorf(outbound.EINVALID, "user", "user %q is disabled", user)
		}
		for _, c := range crossings {
			if !u.Role.National() && !slices.Contains(u.Crossings, c) {
				return outbound.Errorf(outbound.EINVALID, "crossings", "crossing %s is outside %s's scope; a token can only narrow it", c, user)
			}
		}
		_, err = tx.exec(ctx, `INSERT INTO tokens (id, user_name, secret_hash, label, crossings, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.User, t.SecretHash, t.Label, joinList(t.Crossings), ts(t.CreatedAt), ts(t.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return db.appendAudit(ctx, tx, []change{{action: "token.create", subject: "token:" + t.ID, after: outbound.Digest(t)}})
	})
	if err != nil {
		return outbound.Token{}, "", err
	}
	return t.Token, secret, nil
}

const tokenColumns = `id, user_name, label, crossings, created_at, expires_at, revoked_at, secret_hash`

func scanToken(s scanner) (outbound.TokenRecord, error) {
	var t outbound.TokenRecord
	var crossings string
	var revoked sql.Null[dbTimeValue]
	err := s.Scan(&t.ID, &t.User, &t.Label, &crossings, dbTime{&t.CreatedAt}, dbTime{&t.ExpiresAt}, &revoked, &t.SecretHash)
	t.Crossings = splitList[string](crossings)
	if revoked.Valid {
		at := time.Time(revoked.V)
		t.RevokedAt = &at
	}
	return t, err
}

// RevokeToken ends a token now.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return err
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	return db.inTx(ctx, func(tx *txn) error {
		before, err := scanToken(tx.queryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return outbound.Errorf(outbound.ENOTFOUND, "id", "token %q does not exist", id)
		} else if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return nil // revoking twice is harmless
		}
		after := before
		after.RevokedAt = &now
		if _, err := tx.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ?`, ts(now), id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, []change{{action: "token.revoke", subject: "token:" + id,
			before: outbound.Digest(before), after: outbound.Digest(after)}})
	})
}

// FindTokens lists a user's tokens, or everyone's when user is "".
func (db *DB) FindTokens(ctx context.Context, user string) ([]outbound.Token, error) {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT `+tokenColumns+` FROM tokens WHERE ? = '' OR user_name = ? ORDER BY created_at, id`), user, user)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	var ts []outbound.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		ts = append(ts, t.Token)
	}
	return ts, rows.Err()
}

var errBadCredentials = outbound.Errorf(outbound.EUNAUTHORIZED, "", "the token or session is not valid (unknown, expired, revoked, or its user is disabled)")

// AuthenticateToken returns the actor a token's secret stands for.
func (db *DB) AuthenticateToken(ctx context.Context, secret string) (*outbound.Actor, error) {
	t, err := scanToken(db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+tokenColumns+` FROM tokens WHERE secret_hash = ?`), secretHash(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadCredentials
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if t.RevokedAt != nil || !db.Now().Before(t.ExpiresAt) {
		return nil, errBadCredentials
	}
	u, err := db.userByName(ctx, db.sql, t.User)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errBadCredentials
	}
	return outbound.ActorOf(u.User, t.Crossings), nil
}

// Login checks a password and opens a session. After MaxFailedLogins
// failures in a row from one client address the account locks for LockFor
// for that address only, whatever the password: guesses from one place
// cannot lock an officer out everywhere.
func (db *DB) Login(ctx context.Context, name, password, addr string) (outbound.Session, error) {
	now := db.Now().UTC().Truncate(time.Microsecond)
	var s outbound.Session
	var locked sql.Null[dbTimeValue]
	var failures int
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT failures, locked_until FROM login_failures WHERE name = ? AND addr = ?`),
		name, addr).Scan(&failures, &locked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("login failures: %w", err)
	}
	if locked.Valid && now.Before(time.Time(locked.V)) {
		return s, outbound.Errorf(outbound.ERATELIMIT, "", "too many failed sign-ins for %q from this address; try again after %s", name, time.Time(locked.V).Format(time.RFC3339))
	}
	u, err := db.userByName(ctx, db.sql, name)
	hash := u.PasswordHash
	if err != nil {
		if outbound.ErrorCode(err) != outbound.ENOTFOUND {
			return s, err
		}
		hash = dummyHash
	}
	if !outbound.CheckPassword(hash, password) || err != nil || u.Disabled {
		return s, db.loginFailed(ctx, name, addr, failures, now)
	}
	s = outbound.Session{Secret: outbound.NewSecret("obs_", 32), CSRF: outbound.NewSecret("", 24),
		MustChangePassword: u.MustChangePassword, ExpiresAt: now.Add(outbound.SessionFor)}
	err = db.inTx(ctx, func(tx *txn) error {
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE name = ? AND addr = ?`, name, addr); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO sessions (secret_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			secretHash(s.Secret), name, s.CSRF, ts(now), ts(s.ExpiresAt))
		return err
	})
	return s, err
}

func (db *DB) loginFailed(ctx context.Context, name, addr string, failures int, now time.Time) error {
	failures++
	var lockedUntil *string
	if failures >= outbound.MaxFailedLogins {
		until := ts(now.Add(outbound.LockFor))
		lockedUntil, failures = &until, 0
	}
	_, err := db.sql.ExecContext(ctx, db.Rebind(`INSERT INTO login_failures (name, addr, failures, locked_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, addr) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`), name, addr, failures, lockedUntil)
	if err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	return outbound.Errorf(outbound.EUNAUTHORIZED, "", "wrong name or password")
}

// AuthenticateSession returns the actor and session of a cookie's secret.
func (db *DB) AuthenticateSession(ctx context.Context, secret string) (*outbound.Actor, outbound.Session, error) {
	s := outbound.Session{Secret: secret}
	var name string
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT user_name, csrf, expires_at FROM sessions WHERE secret_hash = ?`),
		secretHash(secret)).Scan(&name, &s.CSRF, dbTime{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s, errBadCredentials
	} else if err != nil {
		return nil, s, fmt.Errorf("find session: %w", err)
	}
	if !db.Now().Before(s.ExpiresAt) {
		return nil, s, errBadCredentials
	}
	u, err := db.userByName(ctx, db.sql, name)
	if err != nil {
		return nil, s, err
	}
	if u.Disabled {
		return nil, s, errBadCredentials
	}
	s.MustChangePassword = u.MustChangePassword
	return outbound.ActorOf(u.User, nil), s, nil
}

// Logout ends a session.
func (db *DB) Logout(ctx context.Context, secret string) error {
	_, err := db.sql.ExecContext(ctx, db.Rebind(`DELETE FROM sessions WHERE secret_hash = ?`), secretHash(secret))
	return err
}

// ClaimSession ends the session of user that was given csrf, whether it
// has expired or not; the one DELETE makes a second claim of the same
// session find nothing.
func (db *DB) ClaimSession(ctx context.Context, user, csrf string) error {
	if csrf == "" {
		return errNoSession
	}
	res, err := db.sql.ExecContext(ctx, db.Rebind(`DELETE FROM sessions WHERE user_name = ? AND csrf = ?`), user, csrf)
	if err != nil {
		return fmt.Errorf("claim session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("claim session: %w", err)
	} else if n == 0 {
		return errNoSession
	}
	return nil
}

var errNoSession = outbound.Errorf(outbound.ENOTFOUND, "csrf_token", "no session of this user was given that form")

// ChangePassword replaces the actor's password, which must be given, and
// ends every other session of the user (keep is the secret of the session
// that asks, "" for none): whoever had the old password, or a session
// left open elsewhere, is signed out.
func (db *DB) ChangePassword(ctx context.Context, old, new, keep string) error {
	if err := outbound.Authorize(ctx, outbound.ChangeOwnAccount, ""); err != nil {
		return err
	}
	a := outbound.ActorFrom(ctx)
	if err := outbound.ValidatePassword(a.Name, new); err != nil {
		return err
	}
	if new == old {
		return outbound.Errorf(outbound.EINVALID, "new_password", "the new password must differ from the old one")
	}
	return db.inTx(ctx, func(tx *txn) error {
		u, err := db.userByName(ctx, tx, a.Name)
		if err != nil {
			return err
		}
		if !outbound.CheckPassword(u.PasswordHash, old) {
			return outbound.Errorf(outbound.EINVALID, "old_password", "the current password is wrong")
		}
		if err := db.updateUser(ctx, tx, a.Name, "user.password", func(u *outbound.UserRecord) {
			u.PasswordHash, u.MustChangePassword = outbound.HashPassword(new), false
		}); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_name = ? AND secret_hash <> ?`, a.Name, secretHash(keep))
		return err
	})
}
