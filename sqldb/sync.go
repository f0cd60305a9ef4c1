package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// referencePrefixes are the audit subjects that are reference data for
// nodes: a write to any moves the reference cursor.
var referencePrefixes = []string{"port:", "crossing:", "user:", "token:", "policy:", "schedule:", "operation:"}

func isReference(subject string) bool {
	for _, p := range referencePrefixes {
		if strings.HasPrefix(subject, p) {
			return true
		}
	}
	return false
}

// State keys.
const (
	stateReference  = "reference_seq" // headquarters: audit seq of the last reference change
	StatePushCursor = "push_cursor"   // node: audit seq of the last record headquarters acknowledged
	StatePullCursor = "pull_cursor"   // node: the Reference cursor last applied
	StateLastPush   = "last_push_at"  // node: when the last push succeeded
	StateLastPull   = "last_pull_at"  // node: when reference data last arrived
	StateLastError  = "last_error"    // node: of the last sync round
)

// State reads a sync state value; "" if unset.
func (db *DB) State(ctx context.Context, key string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT value FROM sync_state WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetState writes sync state values, all in one transaction.
func (db *DB) SetState(ctx context.Context, kv map[string]string) error {
	return db.inTx(ctx, func(tx *txn) error { return setState(ctx, tx, kv) })
}

func setState(ctx context.Context, tx *txn, kv map[string]string) error {
	for k, v := range kv {
		if _, err := tx.exec(ctx, `INSERT INTO sync_state (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return fmt.Errorf("sync state: %w", err)
		}
	}
	return nil
}

// ReportNode stores the calling node's status.
func (db *DB) ReportNode(ctx context.Context, s outbound.NodeStatus) error {
	if err := outbound.Authorize(ctx, outbound.SyncNode, ""); err != nil {
		return err
	}
	if err := checkNodeStatus(s); err != nil {
		return err
	}
	apart, err := json.Marshal(s.SetApart)
	if err != nil {
		return err
	}
	if s.SetApart == nil {
		apart = []byte("[]")
	}
	a := outbound.ActorFrom(ctx)
	now := db.Now().UTC().Truncate(time.Microsecond)
	var success *string
	if s.LastError == "" {
		at := ts(now)
		success = &at
	}
	crossing := ""
	if len(a.Crossings) > 0 {
		crossing = a.Crossings[0]
	}
	_, err = db.sql.ExecContext(ctx, db.Rebind(`INSERT INTO nodes (name, crossing, version, schema_version, protocol, queue_depth,
		last_error, last_sync_at, last_success_at, set_apart_count, set_apart) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET crossing = excluded.crossing, version = excluded.version,
			schema_version = excluded.schema_version, protocol = excluded.protocol, queue_depth = excluded.queue_depth, last_error = excluded.last_error,
			last_sync_at = excluded.last_sync_at, last_success_at = COALESCE(excluded.last_success_at, nodes.last_success_at),
			set_apart_count = excluded.set_apart_count, set_apart = excluded.set_apart`),
		a.Name, crossing, s.Version, s.Schema, s.Protocol, s.QueueDepth, s.LastError, ts(now), success, s.SetApartCount, string(apart))
	if err != nil {
		return fmt.Errorf("report node: %w", err)
	}
	return nil
}

// checkNodeStatus refuses a report no node would send: a negative count,
// more set-apart records named than a node names, text a database cannot
// hold or longer than a node writes.
func checkNodeStatus(s outbound.NodeStatus) error {
	switch {
	case s.QueueDepth < 0:
		return outbound.Errorf(outbound.EINVALID, "queue_depth", "queue_depth is %d; a queue holds 0 records or more", s.QueueDepth)
	case s.SetApartCount < 0:
		return outbound.Errorf(outbound.EINVALID, "set_apart_count", "set_apart_count is %d; it is 0 or more", s.SetApartCount)
	case len(s.SetApart) > outbound.MaxSetApartReported:
		return outbound.Errorf(outbound.EINVALID, "set_apart", "a report names at most %d set-apart records", outbound.MaxSetApartReported)
	case int64(len(s.SetApart)) > s.SetApartCount:
		return outbound.Errorf(outbound.EINVALID, "set_apart_count", "set_apart_count %d is fewer than the %d records named", s.SetApartCount, len(s.SetApart))
	}
	text := map[string]string{"version": s.Version, "last_error": s.LastError}
	for i, sa := range s.SetApart {
		text[fmt.Sprintf("set_apart[%d].reason", i)] = sa.Reason
		text[fmt.Sprintf("set_apart[%d].kind", i)] = sa.Kind
		text[fmt.Sprintf("set_apart[%d].crossing", i)] = sa.Crossing
	}
	for field, v := range text {
		switch {
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			return outbound.Errorf(outbound.EINVALID, field, "%s holds a NUL byte or invalid UTF-8", field)
		case len(v) > 4*maxSetApartReason+8:
			return outbound.Errorf(outbound.EINVALID, field, "%s is longer than %d bytes", field, 4*maxSetApartReason+8)
		}
	}
	return nil
}

// FindNodes lists every node's last report, flagging those without a
// successful sync for longer than staleAfter.
func (db *DB) FindNodes(ctx context.Context, staleAfter time.Duration) ([]outbound.NodeStatus, error) {
	if err := outbound.Authorize(ctx, outbound.ReadNodes, ""); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT name, crossing, version, schema_version, protocol, queue_depth, last_error,
		last_sync_at, last_success_at, set_apart_count, set_apart FROM nodes ORDER BY crossing, name`)
	if err != nil {
		return nil, fmt.Errorf("find nodes: %w", err)
	}
	defer rows.Close()
	now := db.Now()
	list := []outbound.NodeStatus{}
	for rows.Next() {
		var n outbound.NodeStatus
		var success sql.Null[dbTimeValue]
		var apart string
		if err := rows.Scan(&n.Name, &n.Crossing, &n.Version, &n.Schema, &n.Protocol, &n.QueueDepth, &n.LastError,
			dbTime{&n.LastSyncAt}, &success, &n.SetApartCount, &apart); err != nil {
			return nil, fmt.Errorf("scan node: %w", err)
		}
		if err := json.Unmarshal([]byte(apart), &n.SetApart); err != nil {
			return nil, fmt.Errorf("node %s's set-apart records: %w", n.Name, err)
		}
		// A version before this check could store a negative depth.
		n.QueueDepth = max(n.QueueDepth, 0)
		if success.Valid {
			n.LastSuccessAt = time.Time(success.V)
		}
		n.Stale = now.Sub(n.LastSuccessAt) > staleAfter
		if a := outbound.ActorFrom(ctx); a.InScope(n.Crossing) {
			list = append(list, n)
		}
	}
	return list, rows.Err()
}

// ReferenceFor returns the calling node's reference data: every port and
// crossing, and the accounts scoped to its crossing (with their hashes, so
// that officers can sign in at the node offline). It is a snapshot, sent
// whenever any reference data changed after cursor.
func (db *DB) ReferenceFor(ctx context.Context, cursor int64) (outbound.Reference, error) {
	if err := outbound.Authorize(ctx, outbound.SyncNode, ""); err != nil {
		return outbound.Reference{}, err
	}
	a := outbound.ActorFrom(ctx)
	ref := outbound.Reference{Ports: []outbound.Port{}, Crossings: []outbound.Crossing{},
		Users: []outbound.UserRecord{}, Tokens: []outbound.TokenRecord{}, Policies: []outbound.PolicySource{},
		Schedules: []outbound.PublishedSchedule{}, Operations: []outbound.Operation{}}
	seq, err := db.State(ctx, stateReference)
	if err != nil {
		return ref, err
	}
	ref.Cursor, _ = strconv.ParseInt(seq, 10, 64)
	// A cursor ahead of ours means headquarters was restored from an older
	// backup: send everything again rather than nothing ever.
	if cursor != 0 && cursor == ref.Cursor {
		return ref, nil
	}
	ref.Changed = true
	rows, err := db.sql.QueryContext(ctx, `SELECT code, name, state, border, latitude, longitude, time_zone, source FROM ports ORDER BY code`)
	if err != nil {
		return ref, fmt.Errorf("reference ports: %w", err)
	}
	for rows.Next() {
		var p outbound.Port
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&p.Code, &p.Name, &p.State, &p.Border, &lat, &lon, &p.TimeZone, &p.Source); err != nil {
			rows.Close()
			return ref, err
		}
		if lat.Valid && lon.Valid {
			p.Latitude, p.Longitude = &lat.Float64, &lon.Float64
		}
		ref.Ports = append(ref.Ports, p)
	}
	rows.Close()
	if ref.Crossings, err = db.FindCrossings(ctx); err != nil {
		return ref, err
	}
	users, err := db.userRecords(ctx)
	if err != nil {
		return ref, err
	}
	names := map[string]bool{}
	for _, u := range users {
		if u.Role != outbound.Node && !u.Role.National() && shares(u.Crossings, a.Crossings) {
			if u.Disabled {
				// The node must learn that the account is off, but needs no
				// hash to refuse it: one less copy to crack offline if a
				// node's disk is taken.
				u.PasswordHash = ""
			}
			ref.Users = append(ref.Users, u)
			names[u.Name] = true
		}
	}
	err = eachRow(ctx, db, `SELECT `+tokenColumns+` FROM tokens ORDER BY id`, withHash(scanToken), func(t outbound.TokenRecord) {
		if names[t.User] {
			ref.Tokens = append(ref.Tokens, t)
		}
	})
	if err != nil {
		return ref, err
	}
	err = eachRow(ctx, db, `SELECT id, kind, effective, source FROM policies ORDER BY effective, id`,
		func(s scanner) (outbound.PolicySource, string, error) {
			var p outbound.PolicySource
			err := s.Scan(&p.ID, &p.Kind, &p.Effective, &p.Source)
			return p, "", err
		}, func(p outbound.PolicySource) { ref.Policies = append(ref.Policies, p) })
	if err != nil {
		return ref, err
	}
	// The node's crossing's schedules that have not ended a month ago.
	if len(a.Crossings) > 0 {
		recent := outbound.DateOf(db.Now().UTC()).AddDays(-31).String()
		err = eachRow(ctx, db, `SELECT `+scheduleColumns+` FROM schedules WHERE to_day >= ? AND crossing IN `+
			placeholders(len(a.Crossings), 1)+` ORDER BY published_at, id, crossing`, withHash(scanSchedule),
			func(s outbound.PublishedSchedule) { ref.Schedules = append(ref.Schedules, s) }, append([]any{recent}, anys(a.Crossings)...)...)
		if err != nil {
			return ref, err
		}
		err = eachRow(ctx, db, `SELECT `+operationColumns+` FROM operations WHERE to_day >= ? ORDER BY planned_at, id`, withHash(scanOperation),
			func(op outbound.Operation) {
				if shares(op.Crossings, a.Crossings) {
					ref.Operations = append(ref.Operations, op)
				}
			}, recent)
	}
	return ref, err
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// shares reports whether xs and ys have an element in common.
func shares(xs, ys []string) bool {
	for _, x := range xs {
		if slices.Contains(ys, x) {
			return true
		}
	}
	return false
}

func (db *DB) userRecords(ctx context.Context) ([]outbound.UserRecord, error) {
	var us []outbound.UserRecord
	err := eachRow(ctx, db, `SELECT `+userColumns+` FROM users ORDER BY name`, withHash(scanUser), func(u outbound.UserRecord) {
		us = append(us, u)
	})
	return us, err
}

// ApplyReference stores reference data from headquarters at a node, in one
// transaction, and remembers its cursor. Local accounts headquarters no
// longer sends for this crossing are disabled.
func (db *DB) ApplyReference(ctx context.Context, ref outbound.Reference) error {
	if err := outbound.Authorize(ctx, outbound.ManageUsers, ""); err != nil {
		return err
	}
	if !ref.Changed {
		return nil
	}
	defer db.forgetCrossings()
	return db.inTx(ctx, func(tx *txn) error {
		var changes []change
		for _, p := range ref.Ports {
			c, err := db.savePort(ctx, tx, p)
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		for _, c := range ref.Crossings {
			if _, err := tx.exec(ctx, `INSERT INTO crossings (code, port_code, name, latitude, longitude, modalities, source, field_office)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET port_code = excluded.port_code, name = excluded.name,
				latitude = excluded.latitude, longitude = excluded.longitude, modalities = excluded.modalities, source = excluded.source,
				field_office = excluded.field_office`,
				c.Code, c.PortCode, c.Name, c.Latitude, c.Longitude, joinList(c.Modalities), c.Source, c.FieldOffice); err != nil {
				return fmt.Errorf("apply crossing: %w", err)
			}
			changes = append(changes, change{action: "crossing.sync", subject: "crossing:" + c.Code, crossing: c.Code, after: outbound.Digest(c)})
		}
		sent := map[string]bool{}
		for _, u := range ref.Users {
			sent[u.Name] = true
			before, err := db.userByName(ctx, tx, u.Name)
			if err != nil && outbound.ErrorCode(err) != outbound.ENOTFOUND {
				return err
			}
			if err == nil && outbound.Digest(before) == outbound.Digest(u) {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET role = excluded.role, crossings = excluded.crossings,
				password_hash = excluded.password_hash, must_change = excluded.must_change, disabled = excluded.disabled,
				created_at = excluded.created_at, badge = excluded.badge`,
				u.Name, string(u.Role), joinList(u.Crossings), u.PasswordHash, u.MustChangePassword, u.Disabled, ts(u.CreatedAt), u.Badge); err != nil {
				return fmt.Errorf("apply user: %w", err)
			}
			c := change{action: "user.sync", subject: "user:" + u.Name, after: outbound.Digest(u)}
			if before.Name != "" {
				c.before = outbound.Digest(before)
			}
			changes = append(changes, c)
		}
		local, err := db.userRecords(ctx)
		if err != nil {
			return err
		}
		for _, u := range local {
			if !sent[u.Name] && !u.Disabled && !u.Role.National() {
				if err := db.updateUser(ctx, tx, u.Name, "user.sync", func(u *outbound.UserRecord) { u.Disabled, u.PasswordHash = true, "" }); err != nil {
					return err
				}
			}
		}
		for _, t := range ref.Tokens {
			var revoked *string
			if t.RevokedAt != nil {
				at := ts(*t.RevokedAt)
				revoked = &at
			}
			if _, err := tx.exec(ctx, `INSERT INTO tokens (id, user_name, secret_hash, label, crossings, created_at, expires_at, revoked_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at`,
				t.ID, t.User, t.SecretHash, t.Label, joinList(t.Crossings), ts(t.CreatedAt), ts(t.ExpiresAt), revoked); err != nil {
				return fmt.Errorf("apply token: %w", err)
			}
			changes = append(changes, change{action: "token.sync", subject: "token:" + t.ID, after: outbound.Digest(t)})
		}
		for _, p := range ref.Policies {
			res, err := tx.exec(ctx, `INSERT INTO policies (id, kind, effective, source, published_at, published_by)
				VALUES (?, ?, ?, ?, ?, 'headquarters') ON CONFLICT DO NOTHING`, p.ID, p.Kind, p.Effective, p.Source, ts(db.Now()))
			if ok, err := inserted(res, err); err != nil {
				return err
			} else if ok {
				changes = append(changes, change{action: "policy.sync", subject: "policy:" + p.ID, after: outbound.Digest(p.Source)})
			}
		}
		if err := db.appendAudit(ctx, tx, changes); err != nil {
			return err
		}
		if err := db.storeSchedules(ctx, tx, ref.Schedules, "schedule.sync"); err != nil {
			return err
		}
		if err := db.storeOperations(ctx, tx, ref.Operations, "operation.sync"); err != nil {
			return err
		}
		return setState(ctx, tx, map[string]string{StatePullCursor: strconv.FormatInt(ref.Cursor, 10)})
	})
}

// Pending is a record written at a node and not yet acknowledged by
// headquarters, in the order it was written.
type Pending struct {
	Seq  int64 // its audit entry
	Kind string
	ID   uuid.UUID
}

// recordActions picks the audit entries of records a node pushes.
var recordActions = syncedActions()

// PendingRecords lists up to limit records written after the audit seq.
func (db *DB) PendingRecords(ctx context.Context, after int64, limit int) ([]Pending, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT seq, subject FROM audit_log WHERE seq > ? AND `+recordActions+`
		ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("pending records: %w", err)
	}
	defer rows.Close()
	var list []Pending
	for rows.Next() {
		var p Pending
		var subject string
		if err := rows.Scan(&p.Seq, &subject); err != nil {
			return nil, err
		}
		kind, id, _ := strings.Cut(subject, ":")
		if p.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("pending record %q: %w", subject, err)
		}
		p.Kind = kind
		list = append(list, p)
	}
	return list, rows.Err()
}

// CountPending counts the records written after the audit seq.
func (db *DB) CountPending(ctx context.Context, after int64) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT count(*) FROM audit_log WHERE seq > ? AND `+recordActions), after).Scan(&n)
	return n, err
}

// loadByIDs reads the records with the ids, for the push.
func loadByIDs[T any](ctx context.Context, db *DB, query string, ids []uuid.UUID, scan func(scanner) (T, string, error)) ([]T, error) {
	var list []T
	err := byIDs(ctx, db, query, ids, func(s scanner) error {
		r, _, err := scan(s)
		list = append(list, r)
		return err
	})
	return list, err
}

// byIDs runs query for the ids, in the order of ids.
func byIDs(ctx context.Context, db *DB, query string, ids []uuid.UUID, scan func(scanner) error) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	order := map[string]int{}
	for i, id := range ids {
		args[i] = id.String()
		order[id.String()] = i
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(query+` WHERE id IN `+placeholders(len(ids), 1)), args...)
	if err != nil {
		return fmt.Errorf("load by id: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("load by id: %w", err)
		}
	}
	return rows.Err()
}

// keepConflict stores a record a node pushed that collided, for a
// supervisor to resolve.
func (db *DB) keepConflict(ctx context.Context, tx *txn, kind string, id uuid.UUID, crossing, reason string, record any) (change, error) {
	a := outbound.ActorFrom(ctx)
	body, err := json.Marshal(record)
	if err != nil {
		return change{}, err
	}
	_, err = tx.exec(ctx, `INSERT INTO sync_conflicts (kind, id, node, crossing, reason, record, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, kind, id.String(), a.Name, crossing, reason, string(body), ts(db.Now()))
	if err != nil {
		return change{}, fmt.Errorf("keep conflict: %w", err)
	}
	return change{action: "sync.conflict", subject: "conflict:" + kind + ":" + id.String(), crossing: crossing,
		after: outbound.Digest(json.RawMessage(body))}, nil
}

// FindConflicts lists the conflicts kept for a crossing ("" for all the
// actor may see).
func (db *DB) FindConflicts(ctx context.Context, crossing string) ([]outbound.SyncConflict, error) {
	q, err := pageQuery(ctx, outbound.Filter{Crossing: crossing}, "crossing")
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT `+conflictColumns+`
		FROM sync_conflicts WHERE `+strings.Join(q.where, " AND ")+` ORDER BY received_at, kind, id`), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find conflicts: %w", err)
	}
	defer rows.Close()
	list := []outbound.SyncConflict{}
	for rows.Next() {
		var c outbound.SyncConflict
		var record string
		if err := rows.Scan(conflictDest(&c, &record)...); err != nil {
			return nil, fmt.Errorf("scan conflict: %w", err)
		}
		c.Record = json.RawMessage(record)
		list = append(list, c)
	}
	return list, rows.Err()
}
