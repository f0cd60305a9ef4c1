package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// yield: seizures per 100 inspections and value per officer hour, overall
// and by technique and trigger.
func (db *DB) yield(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, dimsOf(f, []string{tally.All, tally.Technique, tally.Trigger}, tally.All)...)
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Yield(cs, sums)
	return rows, totals, nil
}
