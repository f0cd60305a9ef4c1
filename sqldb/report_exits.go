package sqldb

import (
	"context"
	"math"
	"time"

	"github.com/outbound-oss/outbound"
)

var btsMeasures = []string{"Personal Vehicles", "Trucks", "Buses", "Pedestrians", "Trains"}

// exits: inspections per 1,000 exits, from exit counts where there are
// any, else estimated from the BTS inbound baseline.
func (db *DB) exits(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, "all")
	if err != nil {
		return nil, nil, err
	}
	type counted struct{ measured, estimated int64 }
	counts := map[string]*counted{}
	err = eachRow(ctx, db, `SELECT crossing, estimated, sum(count) FROM exit_counts WHERE day >= ? AND day <= ? GROUP BY crossing, estimated`,
		func(s scanner) (struct {
			c   string
			est bool
			n   int64
		}, string, error) {
			var r struct {
				c   string
				est bool
				n   int64
			}
			return r, "", s.Scan(&r.c, &r.est, &r.n)
		}, func(r struct {
			c   string
			est bool
			n   int64
		}) {
			if counts[r.c] == nil {
				counts[r.c] = &counted{}
			}
			if r.est {
				counts[r.c].estimated += r.n
			} else {
				counts[r.c].measured += r.n
			}
		}, f.From.String(), f.To.String())
	if err != nil {
		return nil, nil, err
	}
	baseline, err := db.btsBaseline(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	var rows []outbound.Row
	var inspections, exits int64
	for _, c := range cs {
		n := sums[c.Code][rollupKey{dim: "all"}].inspections
		var x int64
		source := "none"
		switch k := counts[c.Code]; {
		case k != nil && k.measured > 0:
			x, source = k.measured+k.estimated, "counted"
			if k.estimated > 0 {
				source = "counted and estimated"
			}
		case k != nil && k.estimated > 0:
			x, source = k.estimated, "estimated"
		case baseline[c.PortCode] > 0:
			x, source = int64(math.Round(baseline[c.PortCode])), "estimated from BTS inbound"
		}
		inspections += n
		exits += x
		rows = append(rows, append(head(c), outbound.Cell{Key: "inspections", Value: n}, outbound.Cell{Key: "exits", Value: x},
			outbound.Cell{Key: "exits_source", Value: source},
			outbound.Cell{Key: "inspections_per_1000_exits", Value: rate(1000*float64(n), float64(x))}))
	}
	return rows, outbound.Row{{Key: "crossings", Value: len(cs)}, {Key: "inspections", Value: inspections}, {Key: "exits", Value: exits},
		{Key: "inspections_per_1000_exits", Value: rate(1000*float64(inspections), float64(exits))}}, nil
}

// btsBaseline estimates a port's exits over the period as its inbound
// crossings: the average day of the last twelve months of BTS data up to
// the period's end, times the period's days. Outbound traffic roughly
// mirrors inbound at land ports; the estimate is labelled as such.
func (db *DB) btsBaseline(ctx context.Context, f outbound.ReportFilter) (map[string]float64, error) {
	end := outbound.Date{Year: f.To.Year, Month: f.To.Month, Day: 1}
	start := outbound.DateOf(end.Time(time.UTC).AddDate(-1, 1, 0))
	perMonth := map[string]map[string]int64{}
	args := []any{start.String(), end.String()}
	for _, m := range btsMeasures {
		args = append(args, m)
	}
	err := eachRow(ctx, db, `SELECT port_code, month, sum(value) FROM bts_volumes WHERE month >= ? AND month <= ?
		AND measure IN (?, ?, ?, ?, ?) GROUP BY port_code, month`, func(s scanner) (struct {
		port, month string
		n           int64
	}, string, error) {
		var r struct {
			port, month string
			n           int64
		}
		return r, "", s.Scan(&r.port, &r.month, &r.n)
	}, func(r struct {
		port, month string
		n           int64
	}) {
		if perMonth[r.port] == nil {
			perMonth[r.port] = map[string]int64{}
		}
		perMonth[r.port][r.month] = r.n
	}, args...)
	if err != nil {
		return nil, err
	}
	days := 0
	for d := f.From; !f.To.Before(d); d = d.AddDays(1) {
		days++
	}
	out := map[string]float64{}
	for port, months := range perMonth {
		var total int64
		for _, n := range months {
			total += n
		}
		// Each month of data is about 30.44 days.
		out[port] = float64(total) / (30.44 * float64(len(months))) * float64(days)
	}
	return out, nil
}
