package sqldb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/outbound-oss/outbound"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// record stores a batch in one transaction and answers per item, in order.
// Invalid items are skipped; an identical replay answers the stored record;
// a collision is a conflict. Nothing is answered before the commit, and a
// database failure stores nothing.
func record[T any, P outbound.RecordOf[T]](ctx context.Context, db *DB, batch []T, rc *store[T, P]) ([]outbound.RecordResult[T], error) {
	// Every item is authorized before anything is written: a batch with
	// one forbidden item changes nothing.
	var codes []string // the batch's crossings, whose time zones it needs
	seen := map[string]bool{}
	for i := range batch {
		c := P(&batch[i]).RecordCrossing()
		if c != "" && !seen[c] {
			seen[c], codes = true, append(codes, c)
		}
		if err := outbound.Authorize(ctx, rc.permit(&batch[i]), c); err != nil {
			if len(batch) > 1 {
				e := asError(err)
				e.Field = fmt.Sprintf("[%d].%s", i, e.Field)
				return nil, e
			}
			return nil, err
		}
	}
	results := make([]outbound.RecordResult[T], len(batch))
	now := db.Now().UTC().Truncate(time.Microsecond)
	// The batch runs first as one plain transaction. Should the database
	// refuse one record's data (PostgreSQL refuses a NUL byte, a column
	// may refuse a value out of its range), that aborts the whole
	// transaction on PostgreSQL; the batch then runs again with a
	// savepoint around each item, so that the refused item becomes its
	// invalid result and the rest is stored. The savepoints cost a round
	// trip each, so only a batch that needs them pays for them.
	guarded := false
	run := func(tx *txn) error {
		rr := &recorder[T, P]{db: db, tx: tx, rc: rc, batch: batch, results: results, guarded: guarded,
			now: now, deltas: rollupDeltas{}}
		zones, err := db.crossingZones(ctx, tx, codes...)
		if err != nil {
			return err
		}
		w := &wave[T]{}
		for _, i := range insertOrder(batch, rc) {
			r := new(T)
			*r = batch[i] // the caller's batch stays as it was sent
			p := P(r)
			results[i] = outbound.RecordResult[T]{ID: p.RecordID()} // a retried transaction starts afresh
			loc, e, err := rr.check(r, zones)
			if err != nil {
				return err
			} else if e != nil {
				results[i].Status, results[i].Err = outbound.Invalid, e
				continue
			}
			if !rr.joins(w, r) {
				if err := rr.store(ctx, w); err != nil {
					return err
				}
				w = &wave[T]{}
			}
			w.add(i, r, loc)
		}
		if err := rr.store(ctx, w); err != nil {
			return err
		}
		if err := rr.deltas.apply(ctx, tx); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, rr.changes)
	}
	err := db.inTx(ctx, run)
	if err != nil && refusal(err) != nil {
		guarded = true
		err = db.inTx(ctx, run)
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// wave is a run of a batch's items stored together: each step (prepare,
// insert, reading the records they collided with) takes the whole wave,
// so that on PostgreSQL a step is one statement whatever the wave's size.
// No item of a wave depends on another of it: an item that repeats an id
// of the wave, or replaces a version in it, starts the next wave.
type wave[T any] struct {
	at       []int // the items' places in the batch
	recs     []*T
	locs     []*time.Location
	ids      map[uuid.UUID]bool
	hashes   []string          // set after prepare
	rejected []*outbound.Error // set by prepare: the item's answer
	inserted []bool            // set by insert
	// digests and rollups are what the items add to the audit log and
	// the rollups if every item not rejected is stored, worked out while
	// PostgreSQL stores the wave (foresee); nil when not worked out, or
	// (rollups) when an item was not stored after all.
	digests []string
	rollups rollupDeltas
	// replaced holds the stored versions the wave's edits replace, read
	// by prepare, for the rollups.
	replaced map[uuid.UUID]T
}

func (w *wave[T]) add(i int, r *T, loc *time.Location) {
	w.at, w.recs, w.locs = append(w.at, i), append(w.recs, r), append(w.locs, loc)
}

// recorder is one run of a batch's transaction.
type recorder[T any, P outbound.RecordOf[T]] struct {
	db      *DB
	tx      *txn
	rc      *store[T, P]
	batch   []T
	results []outbound.RecordResult[T]
	guarded bool // a savepoint around each item
	now     time.Time
	deltas  rollupDeltas
	changes []change
}

// check validates r against today at its crossing and returns the
// crossing's time zone (UTC for a record of none), or r's invalid answer.
func (rr *recorder[T, P]) check(r *T, zones map[string]string) (*time.Location, *outbound.Error, error) {
	p := P(r)
	crossing := p.RecordCrossing()
	zone, ok := "UTC", true
	if crossing != "" { // records of a crossing take its time zone
		zone, ok = zones[crossing]
	}
	loc := time.UTC
	if ok {
		var err error
		if loc, err = outbound.Zone(zone); err != nil {
			return nil, nil, err
		}
	}
	validate := p.Validate
	if rr.rc.validate != nil {
		validate = func(now time.Time) error { return rr.rc.validate(r, now) }
	}
	// A record's day is checked against today at its crossing.
	if err := validate(rr.now.In(loc)); err != nil {
		return nil, asError(err), nil
	}
	if !ok {
		return nil, outbound.Errorf(outbound.EINVALID, "crossing", "crossing %q does not exist", crossing), nil
	}
	return loc, nil, nil
}

// joins reports whether r may join wave w, else w is stored first. Only
// stores that take whole waves make waves of more than one item, and not
// under savepoints, which are per item.
func (rr *recorder[T, P]) joins(w *wave[T], r *T) bool {
	if len(w.at) == 0 {
		return true
	}
	if rr.guarded || rr.rc.prepareWave == nil {
		return false
	}
	if w.ids == nil {
		w.ids = map[uuid.UUID]bool{}
		for _, x := range w.recs {
			w.ids[P(x).RecordID()] = true
		}
	}
	id := P(r).RecordID()
	if dep := rr.rc.replaces(r); w.ids[id] || dep != nil && w.ids[*dep] {
		return false
	}
	w.ids[id] = true
	return true
}

// store stores a wave and answers its items, in the batch's order.
func (rr *recorder[T, P]) store(ctx context.Context, w *wave[T]) error {
	if len(w.at) == 0 {
		return nil
	}
	tx := rr.tx
	if rr.guarded { // a wave of one item
		if _, err := tx.ExecContext(ctx, `SAVEPOINT item`); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
	}
	err := rr.prepareAndInsert(ctx, w)
	if rr.guarded {
		if e := refusal(err); e != nil {
			// Rolling back to a savepoint keeps it: release it too,
			// so that savepoints do not pile up over the batch.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT item`); err != nil {
				return fmt.Errorf("rollback to savepoint: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT item`); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
			rr.results[w.at[0]].Status, rr.results[w.at[0]].Err = outbound.Invalid, e
			return nil
		}
		if err == nil {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT item`); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
	}
	if err != nil {
		return err
	}
	// What the items not stored collided with is read for the whole wave.
	var missing []uuid.UUID
	for k := range w.at {
		if w.rejected[k] == nil && !w.inserted[k] {
			missing = append(missing, P(w.recs[k]).RecordID())
		}
	}
	stored, err := rr.rc.loadIn(ctx, rr.db, tx, missing)
	if err != nil {
		return err
	}
	// The rollups foreseen hold only if every item not rejected was
	// stored; else answer adds the stored ones item by item.
	if w.rollups != nil && len(missing) == 0 {
		rr.deltas.addAll(w.rollups)
	} else {
		w.rollups = nil
	}
	for k, i := range w.at {
		if err := rr.answer(ctx, w, k, &rr.results[i], stored); err != nil {
			return err
		}
	}
	return nil
}

// prepareAndInsert sets the wave's server fields and stores each item
// unless a unique key is taken: the part of recording that hands data to
// the database, which a savepoint can undo.
func (rr *recorder[T, P]) prepareAndInsert(ctx context.Context, w *wave[T]) error {
	rc := rr.rc
	w.rejected, w.inserted, w.hashes = make([]*outbound.Error, len(w.at)), make([]bool, len(w.at)), make([]string, len(w.at))
	if rc.prepareWave != nil {
		if err := rc.prepareWave(ctx, rr.tx, w, rr.now); err != nil {
			return err
		}
	} else {
		for k, r := range w.recs {
			if err := rc.prepare(ctx, rr.tx, r, w.locs[k], rr.now); err != nil {
				if e := asError(err); e.Code != outbound.EINTERNAL {
					w.rejected[k] = e
					continue
				}
				return err
			}
		}
	}
	return rc.insertAll(ctx, rr.tx, w)
}

// insertAll hashes a prepared wave's items and stores each not rejected
// unless a unique key is taken, setting w.inserted: on PostgreSQL in one
// statement when the store can, else item by item.
func (s *store[T, P]) insertAll(ctx context.Context, tx *txn, w *wave[T]) error {
	for k, r := range w.recs {
		if w.rejected[k] == nil {
			w.hashes[k] = P(r).ContentHash()
		}
	}
	if s.insertWave != nil && tx.db.dialect == Postgres {
		// The statement keeps the server busy for tens of milliseconds
		// on a wave of a thousand items, and this process idle: the
		// other core meanwhile works out what the items will add to the
		// audit log and the rollups.
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				// Out of the request's goroutine a panic would end the
				// server: answer works it all out again instead, where
				// a panic fails only the request, as it did before.
				if recover() != nil {
					w.digests, w.rollups = nil, nil
				}
			}()
			s.foresee(w)
		}()
		err := s.insertWave(ctx, tx, w)
		<-done
		return err
	}
	for k, r := range w.recs {
		if w.rejected[k] != nil {
			continue
		}
		ok, err := s.insert(ctx, tx, r, w.hashes[k])
		if err != nil {
			return err
		}
		w.inserted[k] = ok
	}
	return nil
}

// foresee sets w.digests and w.rollups as if every item not rejected
// were stored, the usual case. It only reads the wave's items, so it may
// run while they are inserted.
func (s *store[T, P]) foresee(w *wave[T]) {
	w.digests = make([]string, len(w.recs))
	if s.rollup != nil {
		w.rollups = rollupDeltas{}
	}
	for k, r := range w.recs {
		if w.rejected[k] != nil {
			continue
		}
		w.digests[k] = s.digest(r, w.hashes[k])
		if w.rollups != nil && s.rollup(w, k, w.rollups) != nil {
			w.rollups = nil // answer adds item by item, and says why
		}
	}
}

// answer sets the result of a wave's item k: rejected, created, an
// identical replay of the stored record, or a conflict with it (kept for a
// supervisor when a node sent it).
func (rr *recorder[T, P]) answer(ctx context.Context, w *wave[T], k int, res *outbound.RecordResult[T], stored map[uuid.UUID]storedRecord[T]) error {
	rc, r := rr.rc, w.recs[k]
	p := P(r)
	crossing := p.RecordCrossing()
	if e := w.rejected[k]; e != nil {
		res.Status, res.Err = statusOf(e), e
		return nil
	}
	if w.inserted[k] {
		res.Status, res.Record = outbound.Created, r
		if rc.rollup != nil && w.rollups == nil {
			if err := rc.rollup(w, k, rr.deltas); err != nil {
				return err
			}
		}
		digest := ""
		if w.digests != nil {
			digest = w.digests[k]
		}
		if digest == "" {
			digest = rc.digest(r, w.hashes[k])
		}
		rr.changes = append(rr.changes, change{action: rc.auditAction(r), subject: subject(p), crossing: crossing, after: digest})
		return nil
	}
	s, found := stored[res.ID]
	switch {
	case found && (s.hash == w.hashes[k] || outbound.SameContent(p, P(&s.rec))):
		// The answer is the record as stored, in its first order.
		res.Status, res.Record = outbound.Replayed, &s.rec
	case found:
		res.Status = outbound.Conflict
		res.Err = outbound.Errorf(outbound.ECONFLICT, "id", "id %s is already stored with other content; an edit needs a new id and replaces", res.ID)
	case rc.taken == nil:
		res.Status = outbound.Conflict
		res.Err = outbound.Errorf(outbound.ECONFLICT, "id", "%s %s collides with a stored record", rc.kind().Name, res.ID)
	default:
		e, err := rc.taken(ctx, rr.tx, r)
		if err != nil {
			return err
		}
		res.Status, res.Err = outbound.Conflict, e
	}
	if res.Status == outbound.Conflict && outbound.ActorFrom(ctx).Role == outbound.Node {
		// A node's record is never dropped: keep it for a supervisor.
		c, err := rr.db.keepConflict(ctx, rr.tx, rc.kind().Name, res.ID, crossing, res.Err.Message, rr.batch[w.at[k]])
		if err != nil {
			return err
		}
		rr.changes = append(rr.changes, c)
	}
	return nil
}

// refusal returns the database's refusal of one record's data as that
// record's invalid result, or nil when err is no such refusal (a lost
// connection, a deadlock, a bug). PostgreSQL refuses data in classes 22
// (a NUL byte, a value out of a column's range), 23 (a constraint) and 54
// (a value too large to index); SQLite with a constraint, a value too big
// or of the wrong type.
func refusal(err error) *outbound.Error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code[:2] {
		case "22", "23", "54":
			field := pg.ColumnName
			return outbound.Errorf(outbound.EINVALID, field, "the database refused this record: %s (SQLSTATE %s)", pg.Message, pg.Code)
		}
		return nil
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH:
			return outbound.Errorf(outbound.EINVALID, "", "the database refused this record: %s", lite.Error())
		}
	}
	return nil
}

// insertOrder is the order to insert a batch in: by id, so that concurrent
// batches holding the same ids lock them in the same order and cannot
// deadlock, with edits last, in the order sent. Results keep the batch's order.
func insertOrder[T any, P outbound.RecordOf[T]](batch []T, rc *store[T, P]) []int {
	order := make([]int, len(batch))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra, rb := &batch[order[a]], &batch[order[b]]
		la, lb := rc.after != nil && rc.after(ra), rc.after != nil && rc.after(rb)
		if la || lb {
			return !la && lb
		}
		ida, idb := P(ra).RecordID(), P(rb).RecordID()
		return bytes.Compare(ida[:], idb[:]) < 0
	})
	return order
}

func statusOf(e *outbound.Error) outbound.Status {
	if e.Code == outbound.ECONFLICT {
		return outbound.Conflict
	}
	return outbound.Invalid
}

// asError returns err as an *outbound.Error, internal if it is none.
func asError(err error) *outbound.Error {
	code := outbound.ErrorCode(err)
	return &outbound.Error{Code: code, Field: outbound.ErrorField(err), Message: outbound.ErrorMessage(err)}
}
