package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// exits: inspections per 1,000 exits, from exit counts where there are
// any, else estimated from the BTS inbound baseline.
func (db *DB) exits(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, tally.All)
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]*tally.ExitCounts{}
	type row struct {
		c   string
		est bool
		n   int64
	}
	err = eachRow(ctx, db, `SELECT crossing, estimated, sum(count) FROM exit_counts WHERE day >= ? AND day <= ? GROUP BY crossing, estimated`,
		func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.c, &r.est, &r.n)
		}, func(r row) {
			if counts[r.c] == nil {
				counts[r.c] = &tally.ExitCounts{}
			}
			if r.est {
				counts[r.c].Estimated += r.n
			} else {
				counts[r.c].Counted += r.n
			}
		}, f.From.String(), f.To.String())
	if err != nil {
		return nil, nil, err
	}
	baseline, err := db.btsBaseline(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Exits(cs, sums, counts, baseline)
	return rows, totals, nil
}

// btsBaseline reads the BTS inbound volumes of the twelve months up to the
// period's end, per port, for tally.Baseline to estimate exits from.
func (db *DB) btsBaseline(ctx context.Context, f outbound.ReportFilter) (map[string]float64, error) {
	first, last := tally.BaselineMonths(f.To)
	volumes := map[string]tally.Volume{}
	args := []any{first.String(), last.String()}
	for _, m := range tally.BTSMeasures {
		args = append(args, m)
	}
	type row struct {
		port string
		n    int64
	}
	// One row per port and month (GROUP BY): each is a month of data.
	err := eachRow(ctx, db, `SELECT port_code, sum(value) FROM bts_volumes WHERE month >= ? AND month <= ?
		AND measure IN `+placeholders(len(tally.BTSMeasures), 1)+` GROUP BY port_code, month`, func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.port, &r.n)
	}, func(r row) {
		v := volumes[r.port]
		v.Total += r.n
		v.Months++
		volumes[r.port] = v
	}, args...)
	if err != nil {
		return nil, err
	}
	return tally.Baseline(volumes, f.From, f.To), nil
}
