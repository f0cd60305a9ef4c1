package sqldb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

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
	kind := rc.kind()
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
		var changes []change
		deltas := rollupDeltas{}
		zones, err := db.crossingZones(ctx, tx, codes...)
		if err != nil {
			return err
		}
		for _, i := range insertOrder(batch, rc) {
			item := batch[i] // the caller's batch stays as it was sent
			r := &item
			p := P(r)
			res := &results[i]
			*res = outbound.RecordResult[T]{ID: p.RecordID()} // a retried transaction starts afresh
			crossing := p.RecordCrossing()
			zone, ok := "UTC", true
			if crossing != "" { // records of a crossing take its time zone
				zone, ok = zones[crossing]
			}
			loc := time.UTC
			if ok {
				if loc, err = outbound.Zone(zone); err != nil {
					return err
				}
			}
			validate := p.Validate
			if rc.validate != nil {
				validate = func(now time.Time) error { return rc.validate(r, now) }
			}
			// A record's day is checked against today at its crossing.
			if err := validate(now.In(loc)); err != nil {
				res.Status, res.Err = outbound.Invalid, asError(err)
				continue
			}
			if !ok {
				res.Status = outbound.Invalid
				res.Err = outbound.Errorf(outbound.EINVALID, "crossing", "crossing %q does not exist", crossing)
				continue
			}
			if guarded {
				if _, err := tx.ExecContext(ctx, `SAVEPOINT item`); err != nil {
					return fmt.Errorf("savepoint: %w", err)
				}
			}
			hash, inserted, err := prepareAndInsert(ctx, tx, rc, r, loc, now)
			if guarded {
				if e := refusal(err); e != nil {
					// Rolling back to a savepoint keeps it: release it too,
					// so that savepoints do not pile up over the batch.
					if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT item`); err != nil {
						return fmt.Errorf("rollback to savepoint: %w", err)
					}
					if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT item`); err != nil {
						return fmt.Errorf("release savepoint: %w", err)
					}
					res.Status, res.Err = outbound.Invalid, e
					continue
				}
			}
			var e *outbound.Error
			rejected := errors.As(err, &e) && e.Code != outbound.EINTERNAL // by prepare, as the item's answer
			if err != nil && !rejected {
				return err
			}
			if guarded {
				if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT item`); err != nil {
					return fmt.Errorf("release savepoint: %w", err)
				}
			}
			if rejected {
				res.Status, res.Err = statusOf(e), e
				continue
			}
			if inserted {
				stored := *r
				res.Status, res.Record = outbound.Created, &stored
				if rc.rollup != nil {
					if err := rc.rollup(ctx, tx, &stored, loc, deltas); err != nil {
						return err
					}
				}
				changes = append(changes, change{action: rc.auditAction(&stored), subject: subject(P(&stored)), crossing: crossing,
					after: rc.digest(&stored, hash)})
				continue
			}
			stored, storedHash, found, err := rc.byID(ctx, db, tx, res.ID)
			if err != nil {
				return err
			}
			switch {
			case found && (storedHash == hash || outbound.SameContent(p, P(&stored))):
				// The answer is the record as stored, in its first order.
				res.Status, res.Record = outbound.Replayed, &stored
			case found:
				res.Status = outbound.Conflict
				res.Err = outbound.Errorf(outbound.ECONFLICT, "id", "id %s is already stored with other content; an edit needs a new id and replaces", res.ID)
			case rc.taken == nil:
				res.Status = outbound.Conflict
				res.Err = outbound.Errorf(outbound.ECONFLICT, "id", "%s %s collides with a stored record", kind.Name, res.ID)
			default:
				e, err := rc.taken(ctx, tx, r)
				if err != nil {
					return err
				}
				res.Status, res.Err = outbound.Conflict, e
			}
			if res.Status == outbound.Conflict && outbound.ActorFrom(ctx).Role == outbound.Node {
				// A node's record is never dropped: keep it for a supervisor.
				c, err := db.keepConflict(ctx, tx, kind.Name, res.ID, crossing, res.Err.Message, batch[i])
				if err != nil {
					return err
				}
				changes = append(changes, c)
			}
		}
		if err := deltas.apply(ctx, tx); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, changes)
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

// prepareAndInsert sets r's server fields and stores it unless a unique
// key is taken: the part of recording one item that hands its data to the
// database, which a savepoint can undo. An *outbound.Error from prepare
// rejects the item.
func prepareAndInsert[T any, P outbound.RecordOf[T]](ctx context.Context, tx *txn, rc *store[T, P], r *T, loc *time.Location, now time.Time) (string, bool, error) {
	if err := rc.prepare(ctx, tx, r, loc, now); err != nil {
		if e := asError(err); e.Code != outbound.EINTERNAL {
			return "", false, e
		}
		return "", false, err
	}
	hash := P(r).ContentHash()
	inserted, err := rc.insert(ctx, tx, r, hash)
	return hash, inserted, err
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
