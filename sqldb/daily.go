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

// RecordStaffing stores each valid staffing record once, in one transaction.
func (db *DB) RecordStaffing(ctx context.Context, batch []outbound.Staffing) ([]outbound.RecordResult[outbound.Staffing], error) {
	return record(ctx, db, batch, staffingStore)
}

var staffingStore = &store[outbound.Staffing, *outbound.Staffing]{
	table: "staffing", columns: staffingColumns, scan: scanStaffing,
	actions: []string{"staffing.create"},
	permit:  func(*outbound.Staffing) outbound.Action { return outbound.WriteStaffing },
	digest:  func(s *outbound.Staffing, hash string) string { return outbound.RecordDigest(hash, ts(s.ReceivedAt)) },
	prepare: func(_ context.Context, _ *txn, s *outbound.Staffing, _ *time.Location, now time.Time) error {
		s.ReceivedAt = now
		return nil
	},
	insert: func(ctx context.Context, tx *txn, s *outbound.Staffing, hash string) (bool, error) {
		return inserted(tx.exec(ctx, `INSERT INTO staffing (`+staffingColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.ID.String(), s.Crossing, s.Day.String(), string(s.Shift), s.HoursPlanned, s.HoursWorked,
			s.HoursDiverted, string(s.DiversionReason), s.Notes, ts(s.ReceivedAt), hash))
	},
	taken: func(ctx context.Context, tx *txn, s *outbound.Staffing) (*outbound.Error, error) {
		return takenBy(tx.queryRow(ctx, `SELECT id FROM staffing WHERE crossing = ? AND day = ? AND shift = ?`,
			s.Crossing, s.Day.String(), string(s.Shift)),
			fmt.Sprintf("staffing for crossing %s on %s, %s shift,", s.Crossing, s.Day, s.Shift))
	},
}

// FindStaffing lists staffing records, newest day first.
func (db *DB) FindStaffing(ctx context.Context, f outbound.Filter) ([]outbound.Staffing, string, error) {
	return findDaily(ctx, db, f, staffingStore, func(s *outbound.Staffing) outbound.Date { return s.Day })
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
	diversion_reason, notes, received_at, content_hash`

func scanStaffing(s scanner) (outbound.Staffing, string, error) {
	var r outbound.Staffing
	var hash string
	err := s.Scan(&r.ID, &r.Crossing, dbDate{&r.Day}, &r.Shift, &r.HoursPlanned, &r.HoursWorked, &r.HoursDiverted,
		&r.DiversionReason, &r.Notes, dbTime{&r.ReceivedAt}, &hash)
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
