package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
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
		codes := make([]string, len(crossings))
		for i, c := range crossings {
			codes[i] = c.Code
		}
		which, args = db.inCodes("crossing", codes)
		which = " AND " + which
	}
	only, sargs := sourceWhere(f.Source)
	which, args = which+only, append(args, sargs...)
	trend := tally.NewTrend(per)
	type row struct {
		day                   string
		inspections, seizures int64
		valueUSD              float64
	}
	scan := func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.day, &r.inspections, &r.seizures, &r.valueUSD)
	}
	add := func(r row) {
		d, err := outbound.ParseDate(r.day)
		if err != nil {
			return
		}
		trend.Add(d, r.inspections, r.seizures, r.valueUSD)
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
	return trend.Points(f.From, f.To), nil
}
