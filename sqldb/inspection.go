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
		return db.loadDetails(ctx, q, list)
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
	digest:     inspectionDigest,
	insert:     insertInspection,
	insertWave: insertInspectionsPostgres,
	taken:      staleEdit,
	after:      func(in *outbound.Inspection) bool { return in.Replaces != nil },
	replaces:   func(in *outbound.Inspection) *uuid.UUID { return in.Replaces },
	rollup:     rollupInspection,
}

// prepareInspections reads the versions a wave's edits replace through
// the store itself, which the store's own initializer cannot name.
func init() { inspectionStore.prepareWave = prepareInspections }

// rollupInspection counts a stored version in the rollups, and uncounts
// the version it replaces.
func rollupInspection(w *wave[outbound.Inspection], k int, d rollupDeltas) error {
	in := w.recs[k]
	if in.Replaces != nil {
		prev, ok := w.replaced[*in.Replaces]
		if !ok {
			return fmt.Errorf("rollup: the replaced version %s was not read", in.Replaces)
		}
		d.inspection(&prev, w.locs[k], -1)
	}
	d.inspection(in, w.locs[k], 1)
	return nil
}

// inspectionDigest is what the audit log keeps of a stored inspection.
func inspectionDigest(in *outbound.Inspection, hash string) string {
	server := []string{in.OriginalID.String(), strconv.Itoa(in.Version), ts(in.ReceivedAt), in.LocalDay.String(), strconv.Itoa(in.OfficerCount)}
	if s := in.Import; s != nil { // only then: the digests of recorded inspections stay as they were
		server = append(server, "import", s.ID.String(), s.File, s.SHA256, s.By, ts(s.At))
	}
	return outbound.RecordDigest(hash, server...)
}

// prepareInspections sets the server's fields of a wave's inspections,
// and the place of each edit in its inspection's history. The versions
// the edits replace are read in one query, and kept for the rollups.
func prepareInspections(ctx context.Context, tx *txn, w *wave[outbound.Inspection], now time.Time) error {
	var ids []uuid.UUID
	for _, in := range w.recs {
		if in.Replaces != nil {
			ids = append(ids, *in.Replaces)
		}
	}
	prev, err := inspectionStore.loadIn(ctx, tx.db, tx, ids)
	if err != nil {
		return fmt.Errorf("find replaced versions: %w", err)
	}
	w.replaced = make(map[uuid.UUID]outbound.Inspection, len(prev))
	a := outbound.ActorFrom(ctx)
	for k, in := range w.recs {
		if err := in.CheckRecorder(a); err != nil {
			w.rejected[k] = asError(err)
			continue
		}
		if in.Import != nil {
			w.rejected[k] = outbound.Errorf(outbound.EINVALID, "import", "import is set only by `outbound import inspections` at headquarters; a recorded inspection has none")
			continue
		}
		setServerFields(in, w.locs[k], now)
		if in.Replaces == nil {
			continue
		}
		p, ok := prev[*in.Replaces]
		switch {
		case !ok:
			w.rejected[k] = outbound.Errorf(outbound.EINVALID, "replaces", "version %s does not exist", in.Replaces)
			continue
		case p.rec.Crossing != in.Crossing:
			w.rejected[k] = outbound.Errorf(outbound.EINVALID, "crossing",
				"an edit cannot move an inspection from crossing %s; void it and record a new one", p.rec.Crossing)
			continue
		case in.IsUndo() && !a.Can(outbound.EditInspection, in.Crossing):
			if err := in.CheckUndo(p.rec, a, now); err != nil {
				if e := asError(err); e.Code != outbound.EINTERNAL {
					w.rejected[k] = e
					continue
				}
				return err
			}
		}
		in.OriginalID, in.Version = p.rec.OriginalID, p.rec.Version+1
		in.Import = p.rec.Import // an edit of imported history stays imported history
		w.replaced[*in.Replaces] = p.rec
	}
	return nil
}

// setServerFields sets what the server adds to a first version received
// now at a crossing in loc.
func setServerFields(in *outbound.Inspection, loc *time.Location, now time.Time) {
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
}

func insertInspection(ctx context.Context, tx *txn, in *outbound.Inspection, hash string) (bool, error) {
	var replaces *string
	if in.Replaces != nil {
		s := in.Replaces.String()
		replaces = &s
	}
	var imported *string
	if in.Import != nil {
		s := in.Import.ID.String()
		imported = &s
	}
	res, err := tx.exec(ctx, `INSERT INTO inspections (`+inspectionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		in.ID.String(), in.OriginalID.String(), in.Version, replaces, in.Reason, in.Voided, in.Crossing,
		ts(in.StartedAt), ts(in.EndedAt), ts(in.ReceivedAt), in.LocalDay.String(), string(in.Modality),
		joinList(in.Techniques), string(in.Trigger), in.OperationID, joinList(in.Officers), in.OfficerCount,
		string(in.Outcome), in.Notes, imported, hash)
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

// insertInspectionsPostgres stores a wave's inspections and their
// seizures in one statement, whatever their number: one array per column,
// unnested. An inspection whose id or replaced version is taken is left
// out, and so are its seizures.
func insertInspectionsPostgres(ctx context.Context, tx *txn, w *wave[outbound.Inspection]) error {
	var (
		ids, originals, reasons, crossings, days, modalities, techniques, triggers []string
		officers, outcomes, notes, hashes                                          []string
		replaces, operations, imports                                              []*string
		versions, officerCounts                                                    []int32
		voided                                                                     []bool
		started, ended, received                                                   []time.Time
		sID, sCategory, sUnit                                                      []string
		sN                                                                         []int32
		sQuantity, sValue                                                          []float64
	)
	for k, in := range w.recs {
		if w.rejected[k] != nil {
			continue
		}
		var rep, imp *string
		if in.Replaces != nil {
			s := in.Replaces.String()
			rep = &s
		}
		if in.Import != nil {
			s := in.Import.ID.String()
			imp = &s
		}
		imports = append(imports, imp)
		id := in.ID.String()
		ids, originals, versions, replaces = append(ids, id), append(originals, in.OriginalID.String()), append(versions, int32(in.Version)), append(replaces, rep)
		reasons, voided, crossings = append(reasons, in.Reason), append(voided, in.Voided), append(crossings, in.Crossing)
		started, ended, received = append(started, in.StartedAt), append(ended, in.EndedAt), append(received, in.ReceivedAt)
		days, modalities, techniques = append(days, in.LocalDay.String()), append(modalities, string(in.Modality)), append(techniques, joinList(in.Techniques))
		triggers, operations, officers = append(triggers, string(in.Trigger)), append(operations, in.OperationID), append(officers, joinList(in.Officers))
		officerCounts, outcomes, notes, hashes = append(officerCounts, int32(in.OfficerCount)), append(outcomes, string(in.Outcome)), append(notes, in.Notes), append(hashes, w.hashes[k])
		for n, s := range in.Seizures {
			sID, sN, sCategory = append(sID, id), append(sN, int32(n)), append(sCategory, string(s.Category))
			sQuantity, sUnit, sValue = append(sQuantity, s.Quantity), append(sUnit, s.Unit), append(sValue, s.ValueUSD)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `WITH new AS (
			SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::text[],
				$8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::text[],
				$15::text[], $16::text[], $17::int[], $18::text[], $19::text[], $20::text[], $27::text[])
			WITH ORDINALITY AS r(id, original_id, version, replaces, reason, voided, crossing, started_at, ended_at, received_at,
				local_day, modality, techniques, trigger, operation_id, officers, officer_count, outcome, notes, content_hash, import_id, n)
		), stored AS (
			INSERT INTO inspections (`+inspectionColumns+`)
			SELECT id::uuid, original_id::uuid, version, replaces::uuid, reason, voided, crossing, started_at, ended_at, received_at,
				local_day, modality, techniques, trigger, operation_id, officers, officer_count, outcome, notes, import_id::uuid, content_hash
			FROM new ORDER BY n
			ON CONFLICT DO NOTHING RETURNING id
		), seized AS (
			INSERT INTO seizures (inspection_id, n, category, quantity, unit, value_usd)
			SELECT s.inspection_id::uuid, s.n, s.category, s.quantity, s.unit, s.value_usd
			FROM unnest($21::text[], $22::int[], $23::text[], $24::float8[], $25::text[], $26::float8[])
				AS s(inspection_id, n, category, quantity, unit, value_usd)
			WHERE s.inspection_id::uuid IN (SELECT id FROM stored)
		)
		SELECT id FROM stored`,
		ids, originals, versions, replaces, reasons, voided, crossings, started, ended, received, days, modalities, techniques,
		triggers, operations, officers, officerCounts, outcomes, notes, hashes, sID, sN, sCategory, sQuantity, sUnit, sValue, imports)
	if err != nil {
		return fmt.Errorf("insert inspections: %w", err)
	}
	defer rows.Close()
	stored := make(map[uuid.UUID]bool, len(ids))
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("insert inspections: %w", err)
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert inspections: %w", err)
	}
	for k, in := range w.recs {
		w.inserted[k] = stored[in.ID]
	}
	return nil
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
	operation_id, officers, officer_count, outcome, notes, import_id, content_hash`

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
	return list, db.loadDetails(ctx, db.sql, list)
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
	// The local days bound the start too, give or take the widest time
	// zone offset: with a crossing, the (crossing, started_at, id) index
	// then walks the period newest first and stops at the page's end,
	// instead of sorting the whole period (SQLite chose that sort
	// without this bound: 25 of a crossing page's 60 ms).
	if !f.From.IsZero() {
		q.where, q.args = append(q.where, `i.started_at >= ?`), append(q.args, ts(f.From.Time(time.UTC).AddDate(0, 0, -2)))
	}
	if !f.To.IsZero() {
		q.where, q.args = append(q.where, `i.started_at < ?`), append(q.args, ts(f.To.Time(time.UTC).AddDate(0, 0, 3)))
	}
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
	if err := db.loadDetails(ctx, db.sql, list); err != nil {
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
	var imported uuid.NullUUID
	err := s.Scan(&in.ID, &in.OriginalID, &in.Version, &replaces, &in.Reason, &in.Voided, &in.Crossing,
		dbTime{&in.StartedAt}, dbTime{&in.EndedAt}, dbTime{&in.ReceivedAt}, dbDate{&in.LocalDay},
		&in.Modality, &techniques, &in.Trigger, &operation, &officers, &in.OfficerCount,
		&in.Outcome, &in.Notes, &imported, &hash)
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
	if imported.Valid { // the rest of the source is loadDetails'
		in.Import = &outbound.ImportSource{ID: imported.UUID}
	}
	in.Techniques = splitList[outbound.Technique](techniques)
	in.Officers = splitList[string](officers)
	in.Seizures = []outbound.Seizure{}
	return in, hash, nil
}

// loadDetails completes a page of inspections as scanned: their seizures,
// and the sources of imported ones.
func (db *DB) loadDetails(ctx context.Context, q querier, list []outbound.Inspection) error {
	if err := db.loadSeizures(ctx, q, list); err != nil {
		return err
	}
	return db.loadImports(ctx, q, list)
}

// loadSeizures fills the seizures of a page of inspections in one query.
func (db *DB) loadSeizures(ctx context.Context, q querier, list []outbound.Inspection) error {
	if len(list) == 0 {
		return nil
	}
	at := make(map[uuid.UUID]int, len(list))
	ids := make([]uuid.UUID, len(list))
	for i, in := range list {
		at[in.ID], ids[i] = i, in.ID
	}
	cond, args := db.anyOf("inspection_id", "uuid", ids)
	rows, err := q.QueryContext(ctx, db.Rebind(`SELECT inspection_id, category, quantity, unit, value_usd
		FROM seizures WHERE `+cond+` ORDER BY inspection_id, n`), args...)
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
