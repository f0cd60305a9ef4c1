package sqldb

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// recorder is what one kind of client-made record needs to be stored by
// record: exactly once, enforced by the database's unique keys.
type recorder[T any] struct {
	kind     string // inspection, staffing or exit
	id       func(*T) uuid.UUID
	validate func(*T) error
	crossing func(*T) string // nil for records of no crossing
	hash     func(*T) string
	// prepare sets the server's fields; an *outbound.Error rejects the item.
	prepare func(ctx context.Context, tx *txn, r *T, zone *time.Location, now time.Time) error
	// insert stores r unless a unique key is taken, and says whether it did.
	insert func(ctx context.Context, tx *txn, r *T, hash string) (bool, error)
	// find returns the stored record with id and its content hash.
	find func(ctx context.Context, tx *txn, id uuid.UUID) (T, string, bool, error)
	// action is what recording r asks permission for.
	action func(*T) outbound.Action
	// audit names the audited write of r, once stored.
	audit func(*T) (action, subject string)
	// digest is what the audit log keeps of stored r, given its content hash.
	digest func(r *T, hash string) string
	// rollup, if set, adds stored r's change to the rollups.
	rollup func(ctx context.Context, tx *txn, r *T, loc *time.Location, d rollupDeltas) error
	// after says whether r must wait for the rest of the batch (an edit
	// may replace a version sent earlier in the same batch).
	after func(*T) bool
	// taken explains a unique key other than the id that r collided with.
	taken func(ctx context.Context, tx *txn, r *T) (*outbound.Error, error)
}

// record stores a batch in one transaction and answers per item, in order.
// Invalid items are skipped; an identical replay answers the stored record;
// a collision is a conflict. Nothing is answered before the commit, and a
// database failure stores nothing.
func record[T any](ctx context.Context, db *DB, batch []T, rc recorder[T]) ([]outbound.RecordResult[T], error) {
	// Every item is authorized before anything is written: a batch with
	// one forbidden item changes nothing.
	crossingAt := func(r *T) string {
		if rc.crossing == nil {
			return ""
		}
		return rc.crossing(r)
	}
	var codes []string // the batch's crossings, whose time zones it needs
	seen := map[string]bool{}
	for i := range batch {
		if c := crossingAt(&batch[i]); c != "" && !seen[c] {
			seen[c], codes = true, append(codes, c)
		}
		if err := outbound.Authorize(ctx, rc.action(&batch[i]), crossingAt(&batch[i])); err != nil {
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
	err := db.inTx(ctx, func(tx *txn) error {
		var changes []change
		deltas := rollupDeltas{}
		zones, err := db.crossingZones(ctx, tx, codes...)
		if err != nil {
			return err
		}
		for _, i := range insertOrder(batch, rc) {
			item := batch[i] // the caller's batch stays as it was sent
			r := &item
			res := &results[i]
			*res = outbound.RecordResult[T]{ID: rc.id(r)} // a retried transaction starts afresh
			if err := rc.validate(r); err != nil {
				res.Status, res.Err = outbound.Invalid, asError(err)
				continue
			}
			zone, ok := "UTC", true
			if rc.crossing != nil { // records of a crossing take its time zone
				zone, ok = zones[rc.crossing(r)]
			}
			if !ok {
				res.Status = outbound.Invalid
				res.Err = outbound.Errorf(outbound.EINVALID, "crossing", "crossing %q does not exist", rc.crossing(r))
				continue
			}
			loc, err := outbound.Zone(zone)
			if err != nil {
				return err
			}
			if err := rc.prepare(ctx, tx, r, loc, now); err != nil {
				if e := asError(err); e.Code != outbound.EINTERNAL {
					res.Status, res.Err = statusOf(e), e
					continue
				}
				return err
			}
			hash := rc.hash(r)
			inserted, err := rc.insert(ctx, tx, r, hash)
			if err != nil {
				return err
			}
			if inserted {
				stored := *r
				res.Status, res.Record = outbound.Created, &stored
				if rc.rollup != nil {
					if err := rc.rollup(ctx, tx, &stored, loc, deltas); err != nil {
						return err
					}
				}
				action, subject := rc.audit(&stored)
				changes = append(changes, change{action: action, subject: subject, crossing: crossingAt(&stored),
					after: rc.digest(&stored, hash)})
				continue
			}
			stored, storedHash, found, err := rc.find(ctx, tx, res.ID)
			if err != nil {
				return err
			}
			switch {
			case found && storedHash == hash:
				res.Status, res.Record = outbound.Replayed, &stored
			case found:
				res.Status = outbound.Conflict
				res.Err = outbound.Errorf(outbound.ECONFLICT, "id", "id %s is already stored with other content; an edit needs a new id and replaces", res.ID)
			default:
				e, err := rc.taken(ctx, tx, r)
				if err != nil {
					return err
				}
				res.Status, res.Err = outbound.Conflict, e
			}
			if res.Status == outbound.Conflict && outbound.ActorFrom(ctx).Role == outbound.Node {
				// A node's record is never dropped: keep it for a supervisor.
				c, err := db.keepConflict(ctx, tx, rc.kind, res.ID, crossingAt(r), res.Err.Message, batch[i])
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
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// insertOrder is the order to insert a batch in: by id, so that concurrent
// batches holding the same ids lock them in the same order and cannot
// deadlock, with edits last, in the order sent. Results keep the batch's order.
func insertOrder[T any](batch []T, rc recorder[T]) []int {
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
		ida, idb := rc.id(ra), rc.id(rb)
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
