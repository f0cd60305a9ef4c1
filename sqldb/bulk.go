package sqldb

import (
	"context"
	"time"

	"github.com/outbound-oss/outbound"
)

// BulkLoad stores generated inspections (new versions, no edits) with
// multi-row inserts and their rollups, in one transaction, without audit
// entries or idempotency answers: for benchmark datasets only. An audit
// verify of such a database reports them as written around the application,
// which they are.
func (db *DB) BulkLoad(ctx context.Context, batch []outbound.Inspection) error {
	if err := outbound.Authorize(ctx, outbound.ManageReference, ""); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *txn) error {
		zones, err := db.crossingZones(ctx, tx)
		if err != nil {
			return err
		}
		now := db.Now().UTC().Truncate(time.Microsecond)
		d := rollupDeltas{}
		const per = 40 // rows per INSERT: 20 parameters each
		var seizureArgs []any
		for start := 0; start < len(batch); start += per {
			chunk := batch[start:min(start+per, len(batch))]
			args := make([]any, 0, 20*len(chunk))
			for i := range chunk {
				in := &chunk[i]
				loc, err := outbound.Zone(zones[in.Crossing])
				if err != nil {
					return err
				}
				in.StartedAt, in.EndedAt = in.StartedAt.UTC().Truncate(time.Microsecond), in.EndedAt.UTC().Truncate(time.Microsecond)
				in.ReceivedAt, in.LocalDay, in.OfficerCount = now, outbound.DateOf(in.StartedAt.In(loc)), len(in.Officers)
				in.OriginalID, in.Version = in.ID, 1
				args = append(args, in.ID.String(), in.ID.String(), 1, nil, "", false, in.Crossing, ts(in.StartedAt), ts(in.EndedAt),
					ts(now), in.LocalDay.String(), string(in.Modality), joinList(in.Techniques), string(in.Trigger), in.OperationID,
					joinList(in.Officers), in.OfficerCount, string(in.Outcome), in.Notes, in.ContentHash())
				for n, s := range in.Seizures {
					seizureArgs = append(seizureArgs, in.ID.String(), n, string(s.Category), s.Quantity, s.Unit, s.ValueUSD)
				}
				d.inspection(in, loc, 1)
			}
			_, err := tx.exec(ctx, `INSERT INTO inspections (id, original_id, version, replaces, reason, voided, crossing,
				started_at, ended_at, received_at, local_day, modality, techniques, trigger, operation_id, officers,
				officer_count, outcome, notes, content_hash) VALUES `+placeholders(20, len(chunk)), args...)
			if err != nil {
				return err
			}
		}
		for start := 0; start < len(seizureArgs); start += 6 * per {
			chunk := seizureArgs[start:min(start+6*per, len(seizureArgs))]
			if _, err := tx.exec(ctx, `INSERT INTO seizures (inspection_id, n, category, quantity, unit, value_usd) VALUES `+
				placeholders(6, len(chunk)/6), chunk...); err != nil {
				return err
			}
		}
		return d.apply(ctx, tx)
	})
}

// BulkLoader gathers generated inspections into large BulkLoad
// transactions: a commit costs more than a thousand rows.
type BulkLoader struct {
	DB      *DB
	Loaded  int64 // inspections stored so far
	pending []outbound.Inspection
}

// Add queues a batch, storing the queue once it holds 20,000 inspections.
func (l *BulkLoader) Add(ctx context.Context, batch []outbound.Inspection) error {
	l.pending = append(l.pending, batch...)
	if len(l.pending) < 20_000 {
		return ctx.Err()
	}
	return l.Flush(ctx)
}

// Flush stores what is queued.
func (l *BulkLoader) Flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	if err := l.DB.BulkLoad(ctx, l.pending); err != nil {
		return err
	}
	l.Loaded += int64(len(l.pending))
	l.pending = l.pending[:0]
	return nil
}
