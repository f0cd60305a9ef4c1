package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// RecordInspections stores each valid inspection once, in one transaction.
func (db *DB) RecordInspections(ctx context.Context, batch []outbound.Inspection) ([]outbound.RecordResult[outbound.Inspection], error) {
	return record(ctx, db, batch, inspectionStore)
}

var inspectionStore = &store[outbound.Inspection, *outbound.Inspection]{
	table: "inspections", columns: inspectionColumns, scan: scanInspection,
	load: func(ctx context.Context, db *DB, q querier, list []outbound.Inspection) error {
		return db.loadSeizures(ctx, q, list)
	},
	each: func(ctx context.Context, db *DB, fn func(outbound.Inspection)) error {
		return db.eachInspection(ctx, fn)
	},
	actions: []string{"inspection.create", "inspection.edit", "inspection.void"},
	audit: func(in *outbound.Inspection) string {
		switch {
		case in.Voided:
			return "inspection.void"
		case in.Replaces != nil:
			return "inspection.edit"
		}
		return "inspection.create"
	},
	permit: func(in *outbound.Inspection) outbound.Action {
		switch {
		case in.IsUndo():
			return outbound.UndoInspection // prepareInspection checks the rest
		case in.Replaces != nil:
			return outbound.EditInspection
		}
		return outbound.WriteInspection
	},
	digest: inspectionDigest,
	insert: insertInspection,
	taken:  staleEdit,
	after:  func(in *outbound.Inspection) bool { return in.Replaces != nil },
}

// The rollup and the undo check read the version an edit replaces through
// the store itself, which the store's own initializer cannot name.
func init() { inspectionStore.rollup, inspectionStore.prepare = rollupInspection, prepareInspection }

// rollupInspection counts a stored version in the rollups, and uncounts
// the version it replaces.
func rollupInspection(ctx context.Context, tx *txn, in *outbound.Inspection, loc *time.Location, d rollupDeltas) error {
	if in.Replaces != nil {
		prev, _, found, err := inspectionStore.byID(ctx, tx.db, tx, *in.Replaces)
		if err != nil || !found {
			return fmt.Errorf("rollup: the replaced version %s: %w", in.Replaces, err)
		}
		d.inspection(&prev, loc, -1)
	}
	d.inspection(in, loc, 1)
	return nil
}

// inspectionDigest is what the audit log keeps of a stored inspection.
func inspectionDigest(in *outbound.Inspection, hash string) string {
	return outbound.RecordDigest(hash, in.OriginalID.String(), strconv.Itoa(in.Version), ts(in.ReceivedAt),
		in.LocalDay.String(), strconv.Itoa(in.OfficerCount))
}

// prepareInspection sets the server's fields, and the place of an edit in
// its inspection's history.
func prepareInspection(ctx context.Context, tx *txn, in *outbound.Inspection, loc *time.Location, now time.Time) error {
	if err := in.CheckRecorder(outbound.ActorFrom(ctx)); err != nil {
		return err
	}
	// Stored as UTC microseconds, as both databases keep them; the answer
	// to a create is then the record a later read returns.
	in.StartedAt = in.StartedAt.UTC().Truncate(time.Microsecond)
	in.EndedAt = in.EndedAt.UTC().Truncate(time.Microsecond)
	in.ReceivedAt = now
	in.LocalDay = outbound.DateOf(in.StartedAt.In(loc))
	in.OfficerCount = len(in.Officers)
	if in.Seizures == nil {
		in.Seizures = []outbound.Seizure{} // as a read returns it
	}
	in.OriginalID, in.Version = in.ID, 1
	if in.Replaces == nil {
		return nil
	}
	var crossing string
	err := tx.queryRow(ctx, `SELECT original_id, version, crossing FROM inspections WHERE id = ?`,
		in.Replaces.String()).Scan(&in.OriginalID, &in.Version, &crossing)
	if errors.Is(err, sql.ErrNoRows) {
		return outbound.Errorf(outbound.EINVALID, "replaces", "version %s does not exist", in.Replaces)
	} else if err != nil {
		return fmt.Errorf("find replaced version: %w", err)
	}
	if crossing != in.Crossing {
		return outbound.Errorf(outbound.EINVALID, "crossing", "an edit cannot move an inspection from crossing %s; void it and record a new one", crossing)
	}
	if a := outbound.ActorFrom(ctx); in.IsUndo() && !a.Can(outbound.EditInspection, in.Crossing) {
		prev, _, _, err := inspectionStore.byID(ctx, tx.db, tx, *in.Replaces)
		if err != nil {
			return err
		}
		if err := in.CheckUndo(prev, a, now); err != nil {
			return err
		}
	}
	in.Version++
	return nil
}

func insertInspection(ctx context.Context, tx *txn, in *outbound.Inspection, hash string) (bool, error) {
	var replaces *string
	if in.Replaces != nil {
		s := in.Replaces.String()
		replaces = &s
	}
	res, err := tx.exec(ctx, `
		INSERT INTO inspections (id, original_id, version, replaces, reason, voided, crossing,
			started_at, ended_at, received_at, local_day, modality, techniques, trigger,
			operation_id, officers, officer_count, outcome, notes, content_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		in.ID.String(), in.OriginalID.String(), in.Version, replaces, in.Reason, in.Voided, in.Crossing,
		ts(in.StartedAt), ts(in.EndedAt), ts(in.ReceivedAt), in.LocalDay.String(), string(in.Modality),
		joinList(in.Techniques), string(in.Trigger), in.OperationID, joinList(in.Officers), in.OfficerCount,
		string(in.Outcome), in.Notes, hash)
	if err != nil {
		return false, fmt.Errorf("insert inspection: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	for i, s := range in.Seizures {
		_, err := tx.exec(ctx, `
			INSERT INTO seizures (inspection_id, n, category, quantity, unit, value_usd) VALUES (?, ?, ?, ?, ?, ?)`,
			in.ID.String(), i, string(s.Category), s.Quantity, s.Unit, s.ValueUSD)
		if err != nil {
			return false, fmt.Errorf("insert seizure: %w", err)
		}
	}
	return true, nil
}

// staleEdit explains why an edit was not stored: its version was replaced.
func staleEdit(ctx context.Context, tx *txn, in *outbound.Inspection) (*outbound.Error, error) {
	if in.Replaces == nil {
		return outbound.Errorf(outbound.ECONFLICT, "id", "inspection %s collides with a stored version", in.ID), nil
	}
	var by uuid.UUID
	err := tx.queryRow(ctx, `SELECT id FROM inspections WHERE replaces = ?`, in.Replaces.String()).Scan(&by)
	if err != nil {
		return nil, fmt.Errorf("find replacing version: %w", err)
	}
	return outbound.Errorf(outbound.ECONFLICT, "replaces",
		"version %s was already replaced by %s; edit the latest version", in.Replaces, by), nil
}

const inspectionColumns = `id, original_id, version, replaces, reason, voided, crossing,
	started_at, ended_at, received_at, local_day, modality, techniques, trigger,
	operation_id, officers, officer_count, outcome, notes, content_hash`

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// FindInspection returns one version by its id, or ENOTFOUND.
func (db *DB) FindInspection(ctx context.Context, id uuid.UUID) (outbound.Inspection, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return outbound.Inspection{}, err
	}
	in, _, found, err := inspectionStore.byID(ctx, db, db.sql, id)
	switch {
	case err != nil:
		return in, err
	case !found:
		return in, outbound.Errorf(outbound.ENOTFOUND, "id", "inspection %s does not exist", id)
	}
	return in, outbound.Authorize(ctx, outbound.ReadRecords, in.Crossing)
}

// InspectionHistory returns every version of the inspection that version
// id belongs to, the first first.
func (db *DB) InspectionHistory(ctx context.Context, id uuid.UUID) ([]outbound.Inspection, error) {
	in, err := db.FindInspection(ctx, id)
	if err != nil {
		return nil, err
	}
	var list []outbound.Inspection
	err = eachRow(ctx, db, `SELECT `+inspectionColumns+` FROM inspections WHERE original_id = ? ORDER BY version`,
		scanInspection, func(in outbound.Inspection) { list = append(list, in) }, in.OriginalID.String())
	if err != nil {
		return nil, err
	}
	return list, db.loadSeizures(ctx, db.sql, list)
}

// FindInspections lists current versions, newest start first, keyset-paged
// on (started_at, id).
func (db *DB) FindInspections(ctx context.Context, f outbound.InspectionFilter) ([]outbound.Inspection, string, error) {
	q, err := pageQuery(ctx, f.Filter, "local_day")
	if err != nil {
		return nil, "", err
	}
	q.what, q.columns, q.from, q.key = "inspections", prefixed("i.", inspectionColumns), "inspections i", [2]string{"i.started_at", "i.id"}
	q.where = append(q.where, `NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`)
	if !f.IncludeVoided {
		q.where, q.args = append(q.where, `i.voided = ?`), append(q.args, false)
	}
	if f.Modality != "" {
		q.where, q.args = append(q.where, `i.modality = ?`), append(q.args, string(f.Modality))
	}
	if f.Outcome != "" {
		q.where, q.args = append(q.where, `i.outcome = ?`), append(q.args, string(f.Outcome))
	}
	list, next, err := findPage(ctx, db, q, scanInspection,
		func(in *outbound.Inspection) (string, string) { return ts(in.StartedAt), in.ID.String() })
	if err != nil {
		return nil, "", err
	}
	if err := db.loadSeizures(ctx, db.sql, list); err != nil {
		return nil, "", err
	}
	return list, next, nil
}

func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

func scanInspection(s scanner) (outbound.Inspection, string, error) {
	var in outbound.Inspection
	var replaces uuid.NullUUID
	var operation sql.NullString
	var techniques, officers, hash string
	err := s.Scan(&in.ID, &in.OriginalID, &in.Version, &replaces, &in.Reason, &in.Voided, &in.Crossing,
		dbTime{&in.StartedAt}, dbTime{&in.EndedAt}, dbTime{&in.ReceivedAt}, dbDate{&in.LocalDay},
		&in.Modality, &techniques, &in.Trigger, &operation, &officers, &in.OfficerCount,
		&in.Outcome, &in.Notes, &hash)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return in, "", err
		}
		return in, "", fmt.Errorf("scan inspection: %w", err)
	}
	if replaces.Valid {
		in.Replaces = &replaces.UUID
	}
	if operation.Valid {
		in.OperationID = &operation.String
	}
	in.Techniques = splitList[outbound.Technique](techniques)
	in.Officers = splitList[string](officers)
	in.Seizures = []outbound.Seizure{}
	return in, hash, nil
}

// loadSeizures fills the seizures of a page of inspections in one query.
func (db *DB) loadSeizures(ctx context.Context, q querier, list []outbound.Inspection) error {
	if len(list) == 0 {
		return nil
	}
	at := make(map[uuid.UUID]int, len(list))
	args := make([]any, len(list))
	for i, in := range list {
		at[in.ID] = i
		args[i] = in.ID.String()
	}
	rows, err := q.QueryContext(ctx, db.Rebind(`SELECT inspection_id, category, quantity, unit, value_usd
		FROM seizures WHERE inspection_id IN `+placeholders(len(list), 1)+` ORDER BY inspection_id, n`), args...)
	if err != nil {
		return fmt.Errorf("find seizures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var s outbound.Seizure
		if err := rows.Scan(&id, &s.Category, &s.Quantity, &s.Unit, &s.ValueUSD); err != nil {
			return fmt.Errorf("scan seizure: %w", err)
		}
		list[at[id]].Seizures = append(list[at[id]].Seizures, s)
	}
	return rows.Err()
}
