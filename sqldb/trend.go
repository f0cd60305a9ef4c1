package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
)

// Trend sums the inspections and seizures of the crossings the actor may
// see that the filter keeps, per day, week (Monday to Sunday) or month,
// every one of the period in order, empty ones too. Months read the
// monthly rollups, and the daily ones only for the days of a month the
// period cuts; days and weeks read the daily rollups.
func (db *DB) Trend(ctx context.Context, f outbound.ReportFilter, per string) ([]outbound.TrendPoint, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, f.Crossing); err != nil {
		return nil, err
	}
	switch periodErr := f.Period().Validate(outbound.MaxReportDays); {
	case per != outbound.PerDay && per != outbound.PerWeek && per != outbound.PerMonth:
		return nil, outbound.Errorf(outbound.EINVALID, "per", "per %q is not day, week or month", per)
	case periodErr != nil:
		return nil, periodErr
	}
	crossings, err := db.selected(ctx, f)
	if err != nil {
		return nil, err
	}
	// The database sums each day (or month) over the crossings kept, so
	// that a national quarter is 90 rows, not 15,000. A national actor
	// with no filter keeps every crossing: no list.
	which, args := "", []any{}
	if !outbound.ActorFrom(ctx).AllCrossings || f.Border != "" || f.FieldOffice != "" || f.Crossing != "" {
		which = ` AND crossing IN ` + placeholders(len(crossings), 1)
		for _, c := range crossings {
			args = append(args, c.Code)
		}
	}
	start := func(d outbound.Date) outbound.Date {
		switch per {
		case outbound.PerMonth:
			return firstOfMonth(d)
		case outbound.PerWeek:
			return d.AddDays(-outbound.MondayIndex(d))
		}
		return d
	}
	sums := map[outbound.Date]*outbound.TrendPoint{}
	type row struct {
		day string
		p   outbound.TrendPoint
	}
	scan := func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.day, &r.p.Inspections, &r.p.Seizures, &r.p.ValueUSD)
	}
	add := func(r row) {
		d, err := outbound.ParseDate(r.day)
		if err != nil {
			return
		}
		p := sums[start(d)]
		if p == nil {
			p = &outbound.TrendPoint{Start: start(d)}
			sums[p.Start] = p
		}
		p.Inspections, p.Seizures, p.ValueUSD = p.Inspections+r.p.Inspections, p.Seizures+r.p.Seizures, p.ValueUSD+r.p.ValueUSD
	}
	const sumCols = `sum(inspections), sum(seizures), sum(value_usd)`
	days := [][2]outbound.Date{{f.From, f.To}}
	if per == outbound.PerMonth {
		var months [2]outbound.Date
		days, months = pieces(f.From, f.To)
		if months[0] != (outbound.Date{}) {
			if err := eachRow(ctx, db, `SELECT month, `+sumCols+` FROM inspection_rollup_month
				WHERE dim = 'all' AND month >= ? AND month <= ?`+which+` GROUP BY month`, scan, add, append([]any{months[0].String(), months[1].String()}, args...)...); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range days {
		if err := eachRow(ctx, db, `SELECT day, `+sumCols+` FROM inspection_rollup
			WHERE dim = 'all' AND day >= ? AND day <= ?`+which+` GROUP BY day`, scan, add, append([]any{d[0].String(), d[1].String()}, args...)...); err != nil {
			return nil, err
		}
	}
	var out []outbound.TrendPoint
	for d := start(f.From); !f.To.Before(d); {
		p := outbound.TrendPoint{Start: d}
		if s := sums[d]; s != nil {
			p = *s
		}
		out = append(out, p)
		switch per {
		case outbound.PerMonth:
			d = firstOfMonth(d.AddDays(31))
		case outbound.PerWeek:
			d = d.AddDays(7)
		default:
			d = d.AddDays(1)
		}
	}
	return out, nil
}
