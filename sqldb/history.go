package sqldb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// HistoryRow is one inspection read from a port's own log, and where in
// the file it was ("line 12", "sheet Log, cell A12"): every refusal names it.
type HistoryRow struct {
	Where      string
	Inspection outbound.Inspection
}

// HistoryOptions say how ImportHistory runs.
type HistoryOptions struct {
	// DryRun checks every row against the database as a real run would
	// (a stored id with other content is refused), then rolls back.
	DryRun bool
	// Progress, when set, is told how many rows are done, every
	// historyChunk rows and at the end.
	Progress func(rows int64)
}

// HistoryStats count what an import stored (or, dry, would store).
type HistoryStats struct {
	Rows     int64 // rows read
	Created  int64 // stored now
	Replayed int64 // stored before with the same content (a re-run)
	// ByCrossingYear counts the inspections stored now per crossing and
	// year of their local day.
	ByCrossingYear map[string]map[int]int64
	Source         outbound.ImportSource // the run; its ID is Nil when it stored nothing
}

// An import stores its rows in waves of historyChunk (on PostgreSQL one
// statement a wave) and audits each wave, and writes its
// rollups when they touch historyRollupKeys cells: history spreads over
// years of days, so a thousand rows touch thousands of cells, while the
// cells of a whole file are bounded by its crossings, days and values, not
// its length. Memory stays bounded however long the file.
const (
	historyChunk      = 1000
	historyRollupKeys = 200_000
)

// errDryRun rolls a dry run back.
var errDryRun = errors.New("dry run")

// ImportHistory stores inspections from a port's own log as imported
// history, all or nothing, in one transaction: the first row that is not a
// valid new inspection of a registered crossing (ValidateHistory), or whose
// id is stored with other content, stops it, named by its place, and
// nothing is stored. A row whose id is stored with the same content is a
// replay, so a file imported again stores nothing new. Each stored
// inspection carries src (the file's name and hash) with who imported it
// and when, and is audited as inspection.import; a run that stores nothing
// leaves no trace.
//
// Only headquarters imports: a port node's database (one that has synced)
// refuses, and a node never pushes imported records (they are audited
// under an action its queue does not take).
func (db *DB) ImportHistory(ctx context.Context, src outbound.ImportSource, rows iter.Seq2[HistoryRow, error], opt HistoryOptions) (HistoryStats, error) {
	st := HistoryStats{ByCrossingYear: map[string]map[int]int64{}}
	if err := outbound.Authorize(ctx, outbound.ManageReference, ""); err != nil {
		return st, err
	}
	if err := src.Validate(); err != nil {
		return st, err
	}
	for _, k := range []string{StatePullCursor, StatePushCursor} {
		if v, err := db.State(ctx, k); err != nil {
			return st, err
		} else if v != "" {
			return st, outbound.Errorf(outbound.EFORBIDDEN, "db", "this is a port node's database: history is imported at headquarters, which port nodes never receive it from")
		}
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	src.ID, src.By, src.At = uuid.Must(uuid.NewV7()), outbound.ActorFrom(ctx).Name, now
	// A stream is read once: the transaction is not retried.
	err := db.inTxOnce(ctx, func(tx *txn) error {
		st = HistoryStats{ByCrossingYear: map[string]map[int]int64{}, Source: src}
		zones, err := db.crossingZones(ctx, tx)
		if err != nil {
			return err
		}
		locs := map[string]*time.Location{}
		for c, z := range zones {
			if locs[c], err = outbound.Zone(z); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO imports (id, file, sha256, imported_by, imported_at) VALUES (?, ?, ?, ?, ?)`,
			src.ID.String(), src.File, src.SHA256, src.By, ts(src.At)); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		var (
			changes []change
			deltas  = rollupDeltas{}
			w       = &wave[outbound.Inspection]{}
			where   []string // the wave's rows' places
		)
		// store stores the wave, then counts and audits its rows in the
		// file's order: a row whose id is stored with other content
		// stops the import, named by its place.
		store := func() error {
			if len(w.recs) == 0 {
				return nil
			}
			w.rejected, w.inserted, w.hashes = make([]*outbound.Error, len(w.recs)), make([]bool, len(w.recs)), make([]string, len(w.recs))
			if err := inspectionStore.insertAll(ctx, tx, w); err != nil {
				return err
			}
			var missing []uuid.UUID
			for k, in := range w.recs {
				if !w.inserted[k] {
					missing = append(missing, in.ID)
				}
			}
			stored, err := inspectionStore.loadIn(ctx, db, tx, missing)
			if err != nil {
				return err
			}
			for k, in := range w.recs {
				if !w.inserted[k] {
					s, found := stored[in.ID]
					switch {
					case found && (s.hash == w.hashes[k] || outbound.SameContent(in, &s.rec)):
						st.Replayed++
						continue
					case found:
						return placed(where[k], outbound.Errorf(outbound.ECONFLICT, "id", "id %s is already stored with other content (an earlier row, or an earlier import)", in.ID))
					}
					return placed(where[k], outbound.Errorf(outbound.ECONFLICT, "id", "inspection %s collides with a stored version", in.ID))
				}
				st.Created++
				if err := inspectionStore.rollup(w, k, deltas); err != nil {
					return err
				}
				changes = append(changes, change{action: importAction, subject: subject(in), crossing: in.Crossing,
					after: inspectionDigest(in, w.hashes[k])})
				years := st.ByCrossingYear[in.Crossing]
				if years == nil {
					years = map[int]int64{}
					st.ByCrossingYear[in.Crossing] = years
				}
				years[in.LocalDay.Year]++
			}
			w, where = &wave[outbound.Inspection]{}, where[:0]
			if len(deltas) >= historyRollupKeys {
				if err := deltas.apply(ctx, tx); err != nil {
					return err
				}
				clear(deltas)
			}
			err = db.appendAudit(ctx, tx, changes)
			changes = changes[:0]
			if opt.Progress != nil {
				opt.Progress(st.Rows)
			}
			return err
		}
		for row, err := range rows {
			// The rows before a bad one are stored first: a conflict
			// among them is the first refusal, as it comes first.
			if err != nil {
				if err := store(); err != nil {
					return err
				}
				return err
			}
			st.Rows++
			in := row.Inspection
			loc, err := prepareImport(&in, locs, now, &src)
			if err != nil {
				if err := store(); err != nil {
					return err
				}
				return placed(row.Where, err)
			}
			// A row that repeats an id of the wave is a replay or a
			// conflict: it starts the next wave, which finds it stored.
			if w.ids == nil {
				w.ids = map[uuid.UUID]bool{}
			}
			if w.ids[in.ID] || len(w.recs) == historyChunk {
				if err := store(); err != nil {
					return err
				}
				w.ids = map[uuid.UUID]bool{}
			}
			w.ids[in.ID] = true
			w.add(len(w.recs), &in, loc)
			where = append(where, row.Where)
		}
		if err := store(); err != nil {
			return err
		}
		if err := deltas.apply(ctx, tx); err != nil {
			return err
		}
		if st.Created == 0 { // a re-run: nothing of it is kept
			st.Source.ID = uuid.Nil
			if _, err := tx.exec(ctx, `DELETE FROM imports WHERE id = ?`, src.ID.String()); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return st, err
}

// importAction audits an imported inspection. It is none of the actions a
// port node's queue pushes (inspectionStore.actions), so that imported
// history never travels to headquarters from a node.
const importAction = "inspection.import"

// prepareImport checks one imported inspection against the registry's
// crossings and today, and sets the server's fields and its source; it
// returns its crossing's time zone.
func prepareImport(in *outbound.Inspection, locs map[string]*time.Location, now time.Time, src *outbound.ImportSource) (*time.Location, error) {
	loc, ok := locs[in.Crossing]
	switch {
	case in.Replaces != nil || in.Voided || in.Import != nil:
		return nil, outbound.Errorf(outbound.EINVALID, "id", "imported history is first versions only: no replaces, voided or import")
	case !ok:
		if err := in.ValidateHistory(now); err != nil {
			return nil, err
		}
		return nil, outbound.Errorf(outbound.EINVALID, "crossing", "crossing %q is not in the registry (outbound import bts adds the ports)", in.Crossing)
	}
	if err := in.ValidateHistory(now.In(loc)); err != nil {
		return nil, err
	}
	setServerFields(in, loc, now)
	in.Import = src
	return loc, nil
}

// placed names the row an import's refusal is about.
func placed(where string, err error) error {
	e := asError(err)
	if e.Code == outbound.EINTERNAL {
		return fmt.Errorf("%s: %w", where, err)
	}
	return &outbound.Error{Code: e.Code, Field: e.Field, Message: where + ": " + e.Message}
}

// loadImports fills the sources of the imported inspections of a page,
// which scanInspection left holding only their run's id: one query for
// the page's few runs.
func (db *DB) loadImports(ctx context.Context, q querier, list []outbound.Inspection) error {
	var args []any
	seen := map[uuid.UUID]bool{}
	for _, in := range list {
		if in.Import != nil && !seen[in.Import.ID] {
			seen[in.Import.ID] = true
			args = append(args, in.Import.ID.String())
		}
	}
	if len(args) == 0 {
		return nil
	}
	runs := map[uuid.UUID]*outbound.ImportSource{}
	rows, err := q.QueryContext(ctx, db.Rebind(`SELECT id, file, sha256, imported_by, imported_at FROM imports WHERE id IN `+
		placeholders(len(args), 1)), args...)
	if err != nil {
		return fmt.Errorf("find imports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s outbound.ImportSource
		if err := rows.Scan(&s.ID, &s.File, &s.SHA256, &s.By, dbTime{&s.At}); err != nil {
			return fmt.Errorf("scan import: %w", err)
		}
		runs[s.ID] = &s
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find imports: %w", err)
	}
	for i := range list {
		if in := &list[i]; in.Import != nil {
			s, ok := runs[in.Import.ID]
			if !ok {
				return fmt.Errorf("inspection %s names import %s, which is not stored", in.ID, in.Import.ID)
			}
			c := *s
			in.Import = &c
		}
	}
	return nil
}
