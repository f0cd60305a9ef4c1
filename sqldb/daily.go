package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// Staffing and exit counts are daily records with one natural key each
// (crossing, day and shift or modality): a second record for the same key
// is a conflict, an identical replay is harmless.

// RecordStaffing stores each valid staffing record once, in one
// transaction, with who recorded it.
func (db *DB) RecordStaffing(ctx context.Context, batch []outbound.Staffing) ([]outbound.RecordResult[outbound.Staffing], error) {
	return record(ctx, db, batch, staffingStore)
}

var staffingStore = &store[outbound.Staffing, *outbound.Staffing]{
	table: "staffing", columns: staffingColumns, scan: scanStaffing,
	actions: []string{"staffing.create", "staffing.edit"},
	audit: func(s *outbound.Staffing) string {
		if s.Replaces != nil {
			return "staffing.edit"
		}
		return "staffing.create"
	},
	permit:  func(*outbound.Staffing) outbound.Action { return outbound.WriteStaffing },
	digest:  staffingDigest,
	prepare: prepareStaffing,
	insert: func(ctx context.Context, tx *txn, s *outbound.Staffing, hash string) (bool, error) {
		var replaces *string
		if s.Replaces != nil {
			r := s.Replaces.String()
			replaces = &r
		}
		return inserted(tx.exec(ctx, `INSERT INTO staffing (`+staffingColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.ID.String(), s.Crossing, s.Day.String(), string(s.Shift), s.HoursPlanned, s.HoursWorked,
			s.HoursDiverted, string(s.DiversionReason), s.Notes, ts(s.ReceivedAt), hash, replaces, s.Reason, s.RecordedBy))
	},
	taken: staffingTaken,
	// An edit goes after the records of its batch, one of which it may name.
	after: func(s *outbound.Staffing) bool { return s.Replaces != nil },
}

// staffingDigest is what the audit log keeps of a stored staffing version:
// its hash, its arrival and, when kept, who recorded it (records from
// before it was kept digest as they did).
func staffingDigest(s *outbound.Staffing, hash string) string {
	if s.RecordedBy == "" {
		return outbound.RecordDigest(hash, ts(s.ReceivedAt))
	}
	return outbound.RecordDigest(hash, ts(s.ReceivedAt), s.RecordedBy)
}

// prepareStaffing sets the server's fields, and holds an edit to the
// version it replaces: stored, of the same crossing, day and shift.
// Another crossing's record reads as one not stored, so that an edit
// tells nobody what another crossing holds. That a version is replaced
// once is the unique index's to say.
func prepareStaffing(ctx context.Context, tx *txn, s *outbound.Staffing, _ *time.Location, now time.Time) error {
	s.ReceivedAt, s.RecordedBy = now, outbound.ActorFrom(ctx).Name
	if s.Replaces == nil {
		return nil
	}
	var crossing, day, shift string
	err := tx.queryRow(ctx, `SELECT crossing, day, shift FROM staffing WHERE id = ?`, s.Replaces.String()).Scan(&crossing, &day, &shift)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && crossing != s.Crossing):
		return outbound.Errorf(outbound.EINVALID, "replaces", "crossing %s has no staffing record %s to edit", s.Crossing, s.Replaces)
	case err != nil:
		return fmt.Errorf("staffing to edit: %w", err)
	case day != s.Day.String():
		return outbound.Errorf(outbound.EINVALID, "day", "an edit keeps the day of the record it edits (%s); record another day's shift as a new record", day)
	case shift != string(s.Shift):
		return outbound.Errorf(outbound.EINVALID, "shift", "an edit keeps the shift of the record it edits (%s); record another shift as a new record", shift)
	}
	return nil
}

// staffingTaken explains why a staffing version was not stored: the shift
// is recorded already (naming its latest version, what it says and who
// recorded it, so that the person can edit that instead), or the version
// an edit replaces was replaced already.
func staffingTaken(ctx context.Context, tx *txn, s *outbound.Staffing) (*outbound.Error, error) {
	if s.Replaces != nil {
		var by uuid.UUID
		var who string
		err := tx.queryRow(ctx, `SELECT id, recorded_by FROM staffing WHERE replaces = ?`, s.Replaces.String()).Scan(&by, &who)
		if err != nil {
			return nil, fmt.Errorf("find replacing version: %w", err)
		}
		return outbound.Errorf(outbound.ECONFLICT, "replaces",
			"version %s was already replaced by %s%s; edit the latest version", s.Replaces, by, byWhom(who)), nil
	}
	latest, err := latestStaffing(ctx, tx, s.Crossing, s.Day, s.Shift)
	if err != nil {
		return nil, err
	}
	return outbound.Errorf(outbound.ECONFLICT, "id", "the %s shift of %s at crossing %s is already recorded: %s%s (version %s); to change it, edit that version (replaces)",
		s.Shift, s.Day, s.Crossing, latest.Hours(), byWhom(latest.RecordedBy), latest.ID), nil
}

func byWhom(name string) string {
	if name == "" {
		return ""
	}
	return " by " + name
}

// latestStaffing reads the latest version of a crossing's shift.
func latestStaffing(ctx context.Context, tx *txn, crossing string, day outbound.Date, shift outbound.Shift) (outbound.Staffing, error) {
	s, _, err := scanStaffing(tx.queryRow(ctx, `SELECT `+prefixed("s.", staffingColumns)+` FROM staffing s
		WHERE s.crossing = ? AND s.day = ? AND s.shift = ? AND `+latestVersion, crossing, day.String(), string(shift)))
	if err != nil {
		return s, fmt.Errorf("find the shift's latest version: %w", err)
	}
	return s, nil
}

// latestVersion is the condition on a staffing row s that it is its
// shift's latest version: no version replaces it.
const latestVersion = `NOT EXISTS (SELECT 1 FROM staffing r WHERE r.replaces = s.id)`

// FindStaffing lists the latest version of each shift, newest day first.
func (db *DB) FindStaffing(ctx context.Context, f outbound.Filter) ([]outbound.Staffing, string, error) {
	q, err := pageQuery(ctx, f, "s.day")
	if err != nil {
		return nil, "", err
	}
	q.what, q.columns, q.from, q.key = "staffing", prefixed("s.", staffingColumns), "staffing s", [2]string{"s.day", "s.id"}
	q.where = append(q.where, latestVersion)
	return findPage(ctx, db, q, scanStaffing, func(s *outbound.Staffing) (string, string) { return s.Day.String(), s.ID.String() })
}

// RecordExits stores each valid exit count once, in one transaction.
func (db *DB) RecordExits(ctx context.Context, batch []outbound.ExitCount) ([]outbound.RecordResult[outbound.ExitCount], error) {
	return record(ctx, db, batch, exitStore)
}

var exitStore = &store[outbound.ExitCount, *outbound.ExitCount]{
	table: "exit_counts", columns: exitColumns, scan: scanExit,
	actions: []string{"exit.create"},
	permit:  func(*outbound.ExitCount) outbound.Action { return outbound.WriteExits },
	digest:  func(e *outbound.ExitCount, hash string) string { return outbound.RecordDigest(hash, ts(e.ReceivedAt)) },
	prepare: func(_ context.Context, _ *txn, e *outbound.ExitCount, _ *time.Location, now time.Time) error {
		e.ReceivedAt = now
		return nil
	},
	insert: func(ctx context.Context, tx *txn, e *outbound.ExitCount, hash string) (bool, error) {
		return inserted(tx.exec(ctx, `INSERT INTO exit_counts (`+exitColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			e.ID.String(), e.Crossing, e.Day.String(), string(e.Modality), e.Count, e.Estimated,
			e.Method, ts(e.ReceivedAt), hash))
	},
	taken: func(ctx context.Context, tx *txn, e *outbound.ExitCount) (*outbound.Error, error) {
		return takenBy(tx.queryRow(ctx, `SELECT id FROM exit_counts WHERE crossing = ? AND day = ? AND modality = ?`,
			e.Crossing, e.Day.String(), string(e.Modality)),
			fmt.Sprintf("the %s exit count for crossing %s on %s", e.Modality, e.Crossing, e.Day))
	},
}

// FindExits lists exit counts, newest day first.
func (db *DB) FindExits(ctx context.Context, f outbound.Filter) ([]outbound.ExitCount, string, error) {
	return findDaily(ctx, db, f, exitStore, func(e *outbound.ExitCount) outbound.Date { return e.Day })
}

const staffingColumns = `id, crossing, day, shift, hours_planned, hours_worked, hours_diverted,
	diversion_reason, notes, received_at, content_hash, replaces, reason, recorded_by`

func scanStaffing(s scanner) (outbound.Staffing, string, error) {
	var r outbound.Staffing
	var hash string
	var replaces uuid.NullUUID
	err := s.Scan(&r.ID, &r.Crossing, dbDate{&r.Day}, &r.Shift, &r.HoursPlanned, &r.HoursWorked, &r.HoursDiverted,
		&r.DiversionReason, &r.Notes, dbTime{&r.ReceivedAt}, &hash, &replaces, &r.Reason, &r.RecordedBy)
	if replaces.Valid {
		r.Replaces = &replaces.UUID
	}
	return r, hash, err
}

const exitColumns = `id, crossing, day, modality, count, estimated, method, received_at, content_hash`

func scanExit(s scanner) (outbound.ExitCount, string, error) {
	var r outbound.ExitCount
	var hash string
	err := s.Scan(&r.ID, &r.Crossing, dbDate{&r.Day}, &r.Modality, &r.Count, &r.Estimated, &r.Method,
		dbTime{&r.ReceivedAt}, &hash)
	return r, hash, err
}

func inserted(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("insert: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func findOne[T any](row *sql.Row, scan func(scanner) (T, string, error)) (T, string, bool, error) {
	r, hash, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return r, "", false, nil
	} else if err != nil {
		return r, "", false, fmt.Errorf("find: %w", err)
	}
	return r, hash, true, nil
}

// takenBy names the record that holds a natural key.
func takenBy(row *sql.Row, what string) (*outbound.Error, error) {
	var id uuid.UUID
	if err := row.Scan(&id); err != nil {
		return nil, fmt.Errorf("find holder of key: %w", err)
	}
	return outbound.Errorf(outbound.ECONFLICT, "id", "%s is already recorded as %s", what, id), nil
}

// findDaily lists a daily kind newest day first, keyset-paged on (day, id).
func findDaily[T any, P outbound.RecordOf[T]](ctx context.Context, db *DB, f outbound.Filter, s *store[T, P],
	day func(*T) outbound.Date) ([]T, string, error) {
	q, err := pageQuery(ctx, f, "day")
	if err != nil {
		return nil, "", err
	}
	q.what, q.columns, q.from, q.key = s.table, s.columns, s.table, [2]string{"day", "id"}
	return findPage(ctx, db, q, s.scan, func(r *T) (string, string) {
		return day(r).String(), P(r).RecordID().String()
	})
}
