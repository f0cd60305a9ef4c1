package sqldb

import (
	"context"
	"time"

	"github.com/outbound-oss/outbound"
)

// RecordFunding stores each valid funding entry once, audited. A
// correction is a new entry (with a negative amount to take one back).
func (db *DB) RecordFunding(ctx context.Context, batch []outbound.FundingEntry) ([]outbound.RecordResult[outbound.FundingEntry], error) {
	return record(ctx, db, batch, fundingStore)
}

var fundingStore = &store[outbound.FundingEntry, *outbound.FundingEntry]{
	textID: true,
	table:  "funding", columns: fundingColumns, scan: scanFunding,
	actions: []string{"funding.create"},
	permit:  func(*outbound.FundingEntry) outbound.Action { return outbound.WriteFunding },
	digest: func(e *outbound.FundingEntry, hash string) string {
		return outbound.RecordDigest(hash, ts(e.ReceivedAt))
	},
	prepare: func(_ context.Context, _ *txn, e *outbound.FundingEntry, _ *time.Location, now time.Time) error {
		e.ReceivedAt = now
		return nil
	},
	insert: func(ctx context.Context, tx *txn, e *outbound.FundingEntry, hash string) (bool, error) {
		return inserted(tx.exec(ctx, `INSERT INTO funding (`+fundingColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			e.ID.String(), e.FiscalYear, e.Crossing, e.Category, e.Kind, e.Day.String(), e.AmountUSD, e.Note, ts(e.ReceivedAt), hash))
	},
}

const fundingColumns = `id, fiscal_year, crossing, category, kind, day, amount_usd, note, received_at, content_hash`

func scanFunding(s scanner) (outbound.FundingEntry, string, error) {
	var e outbound.FundingEntry
	var hash string
	err := s.Scan(&e.ID, &e.FiscalYear, &e.Crossing, &e.Category, &e.Kind, dbDate{&e.Day}, &e.AmountUSD, &e.Note, dbTime{&e.ReceivedAt}, &hash)
	return e, hash, err
}

// FindFunding lists funding entries, newest day first.
func (db *DB) FindFunding(ctx context.Context, f outbound.Filter) ([]outbound.FundingEntry, string, error) {
	return findDaily(ctx, db, f, fundingStore, func(e *outbound.FundingEntry) outbound.Date { return e.Day })
}

// FundingTotals sums a fiscal year's funding line per crossing in the
// actor's scope, category and kind.
func (db *DB) FundingTotals(ctx context.Context, year int) (map[string]map[string]map[string]float64, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	out := map[string]map[string]map[string]float64{}
	type row struct {
		crossing, category, kind string
		amount                   float64
	}
	err := eachRow(ctx, db, `SELECT crossing, category, kind, sum(amount_usd) FROM funding WHERE fiscal_year = ? GROUP BY crossing, category, kind`,
		func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.crossing, &r.category, &r.kind, &r.amount)
		}, func(r row) {
			if !a.InScope(r.crossing) {
				return
			}
			if out[r.crossing] == nil {
				out[r.crossing] = map[string]map[string]float64{}
			}
			if out[r.crossing][r.category] == nil {
				out[r.crossing][r.category] = map[string]float64{}
			}
			out[r.crossing][r.category][r.kind] = r.amount
		}, year)
	return out, err
}
