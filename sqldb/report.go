package sqldb

import (
	"context"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
	"golang.org/x/sync/errgroup"
)

// Report makes a report from the rollups and the staffing records, one row
// per crossing the actor may see (narrowed by the filter), with totals.
func (db *DB) Report(ctx context.Context, name string, f outbound.ReportFilter) (outbound.Report, error) {
	rep := outbound.Report{Report: name, From: f.From, To: f.To, Filters: map[string]string{}, Rows: []outbound.Row{}}
	if err := outbound.Authorize(ctx, outbound.ReadRecords, f.Crossing); err != nil {
		return rep, err
	}
	_, borderErr := outbound.ParseBorder(f.Border)
	switch periodErr := f.Period().Validate(outbound.MaxReportDays); {
	case !slices.Contains(outbound.ReportNames, name):
		return rep, outbound.Errorf(outbound.ENOTFOUND, "name", "no report %q; reports are %v", name, outbound.ReportNames)
	case periodErr != nil:
		return rep, periodErr
	case borderErr != nil:
		return rep, borderErr
	}
	if f.Border != "" {
		rep.Filters["border"] = f.Border
	}
	if f.Crossing != "" {
		rep.Filters["crossing"] = f.Crossing
	}
	if f.FieldOffice != "" {
		rep.Filters["field_office"] = f.FieldOffice
	}
	switch f.Source {
	case "", outbound.SourceAll:
		f.Source = ""
	case outbound.SourceRecorded, outbound.SourceImported:
		rep.Filters["source"] = f.Source
	default:
		return rep, outbound.Errorf(outbound.EINVALID, "source", "source %q is not %s", f.Source, strings.Join(outbound.Sources, ", "))
	}
	if f.HourlyRate == 0 {
		f.HourlyRate = outbound.DefaultHourlyRate
	}
	if f.HourlyRate < 0 || f.HourlyRate > 10000 {
		return rep, outbound.Errorf(outbound.EINVALID, "hourly_rate", "hourly_rate must be 0 to 10000 USD")
	}
	if name == "staffing" {
		rep.Filters["hourly_rate"] = strconv.FormatFloat(f.HourlyRate, 'f', -1, 64)
		for b, r := range f.BorderRates {
			rep.Filters["hourly_rate_"+b] = strconv.FormatFloat(r, 'f', -1, 64)
		}
	}
	if f.MinCoverage == 0 {
		f.MinCoverage = 100
	}
	if f.MinCoverage < 0 || f.MinCoverage > 100 {
		return rep, outbound.Errorf(outbound.EINVALID, "min_coverage", "min_coverage is a percentage of days, 0 to 100")
	}
	if name == "compliance" {
		rep.Filters["min_coverage"] = strconv.FormatFloat(f.MinCoverage, 'f', -1, 64)
	}
	crossings, err := db.selected(ctx, f)
	if err != nil {
		return rep, err
	}
	var build func(context.Context, []outbound.Crossing, outbound.ReportFilter) ([]outbound.Row, outbound.Row, error)
	switch name {
	case "coverage":
		build = db.coverage
	case "compliance":
		build = db.complianceReport
	case "activity":
		build = db.activity
	case "seizures":
		build = db.seizures
	case "yield":
		build = db.yield
	case "exits":
		build = db.exits
	default:
		build = db.staffingReport
	}
	rep.Rows, rep.Totals, err = build(ctx, crossings, f)
	if f.Summary {
		for i, r := range rep.Rows {
			rep.Rows[i] = r.WithoutBreakdowns()
		}
		rep.Totals = rep.Totals.WithoutBreakdowns()
	}
	return rep, err
}

// selected returns the crossings the actor may see that the filter
// keeps.
func (db *DB) selected(ctx context.Context, f outbound.ReportFilter) ([]outbound.Crossing, error) {
	cs, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	var crossings []outbound.Crossing
	for _, c := range cs {
		if a.InScope(c.Code) && (f.Crossing == "" || c.Code == f.Crossing) && (f.Border == "" || string(c.Border) == f.Border) &&
			(f.FieldOffice == "" || c.FieldOffice == f.FieldOffice) {
			crossings = append(crossings, c)
		}
	}
	if f.Crossing != "" && len(crossings) == 0 {
		return nil, outbound.Errorf(outbound.ENOTFOUND, "crossing", "crossing %q does not exist", f.Crossing)
	}
	return crossings, nil
}

// sums reads the rollups of a period, per crossing, dim and value: whole
// months from the monthly rollups, the days around them from the daily.
// Each dimension is read on a connection of its own, at once: a national
// year of one is a few thousand rows to sort and sum, and the database
// does that on every core.
//
// Within a request that carries a request cache (a page), one dimension
// of one period is read once, however many reports ask.
func (db *DB) sums(ctx context.Context, f outbound.ReportFilter, dims ...string) (map[string]map[tally.Key]tally.Sums, error) {
	return eachDim(ctx, dims, func(ctx context.Context, dim string) (map[string]map[tally.Key]tally.Sums, error) {
		key := sumsKey{dim: dim, from: f.From, to: f.To, crossing: f.Crossing, source: f.Source}
		return db.cachedSums(ctx, key, func() (map[string]map[tally.Key]tally.Sums, error) { return db.dimSums(ctx, f, dim) })
	})
}

// eachDim reads each dimension with read on a connection of its own, at
// once, and merges the per-crossing maps: dimensions are disjoint keys.
func eachDim[K comparable, V any](ctx context.Context, dims []string,
	read func(context.Context, string) (map[string]map[K]V, error)) (map[string]map[K]V, error) {
	parts := make([]map[string]map[K]V, len(dims))
	g, ctx := errgroup.WithContext(ctx)
	for i, dim := range dims {
		g.Go(func() error {
			var err error
			parts[i], err = read(ctx, dim)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]map[K]V{} // a fresh map: the parts may be shared (the request cache shares sums)
	for _, part := range parts {
		for c, m := range part {
			if out[c] == nil {
				out[c] = map[K]V{}
			}
			maps.Copy(out[c], m)
		}
	}
	return out, nil
}

// dimSums reads one dimension's rollups of a period.
func (db *DB) dimSums(ctx context.Context, f outbound.ReportFilter, dim string) (map[string]map[tally.Key]tally.Sums, error) {
	type row struct {
		crossing, value string
		v               tally.Sums
	}
	out := map[string]map[tally.Key]tally.Sums{}
	scan := func(s scanner) (row, string, error) {
		var r row
		err := s.Scan(&r.crossing, &r.value, &r.v.Inspections, &r.v.Seizures, &r.v.ValueUSD, &r.v.OfficerMinutes, &r.v.Quantity)
		return r, "", err
	}
	add := func(r row) {
		if out[r.crossing] == nil {
			out[r.crossing] = map[tally.Key]tally.Sums{}
		}
		k := tally.Key{Dim: dim, Value: r.value}
		cur := out[r.crossing][k]
		cur.Add(r.v)
		out[r.crossing][k] = cur
	}
	one, only := sourceWhere(f.Source) // both sources, summed, unless one is asked for
	if f.Crossing != "" {              // a report of one crossing reads its rows only
		one, only = one+` AND crossing = ?`, append(only, f.Crossing)
	}
	// Every piece of the period in one statement, so that they are read
	// at one instant: a month read before a write and the days taken
	// from it after would count the write -1 times.
	var parts []string
	var args []any
	took := false
	read := func(p monthPart) {
		table, col, sign := "inspection_rollup", "day", ""
		if p.monthly {
			table, col = "inspection_rollup_month", "month"
		}
		if p.sign < 0 {
			sign, took = "-", true
		}
		parts = append(parts, `SELECT crossing, value, `+sign+`inspections AS i, `+sign+`seizures AS s, `+sign+`value_usd AS v, `+
			sign+`officer_minutes AS m, `+sign+`quantity AS q FROM `+table+` WHERE dim = ? AND `+col+` >= ? AND `+col+` <= ?`+one)
		args = append(append(args, dim, p.from.String(), p.to.String()), only...)
	}
	days, months := pieces(f.From, f.To)
	if months[0] != (outbound.Date{}) {
		read(monthPart{true, months[0], months[1], 1})
	}
	for _, d := range days {
		for _, p := range partOfMonth(d[0], d[1]) {
			read(p)
		}
	}
	if err := eachSerialRow(ctx, db, `SELECT crossing, value, sum(i), sum(s), sum(v), sum(m), sum(q) FROM (`+strings.Join(parts, `
		UNION ALL `)+`) x GROUP BY crossing, value`, scan, add, args...); err != nil {
		return nil, err
	}
	// Sums of decimals carry binary dust (0.1 + 0.2, or a month less its
	// days): figures are kept to a millionth, and what days taken away
	// from a month cancelled is zero.
	for _, m := range out {
		for k, v := range m {
			v.ValueUSD, v.OfficerMinutes, v.Quantity = millionths(v.ValueUSD), millionths(v.OfficerMinutes), millionths(v.Quantity)
			if took && v.Seizures == 0 {
				v.ValueUSD, v.Quantity = 0, 0
			}
			if took && v.Inspections == 0 {
				v.OfficerMinutes = 0
			}
			m[k] = v
		}
	}
	return out, nil
}

// millionths rounds x to a millionth.
func millionths(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// monthPart is a range of rollups to read, daily or monthly (from is the
// month's first day then), added (sign 1) or taken away (-1).
type monthPart struct {
	monthly  bool
	from, to outbound.Date
	sign     int64
}

// partOfMonth says how to read days from..to, each range within one
// month: as those days, or, when they are most of their month, as the
// month less the days around them, which reads fewer rows (the 90 days
// to the 26th of a month read 7 daily rows per crossing and value
// instead of 29).
func partOfMonth(from, to outbound.Date) []monthPart {
	var out []monthPart
	for !to.Before(from) {
		first := outbound.Date{Year: from.Year, Month: from.Month, Day: 1}
		last := outbound.DateOf(first.Time(time.UTC).AddDate(0, 1, -1))
		end := to
		if last.Before(to) {
			end = last
		}
		in := end.Day - from.Day + 1
		if outside := last.Day - in; outside >= in {
			out = append(out, monthPart{false, from, end, 1})
		} else {
			out = append(out, monthPart{true, first, first, 1})
			if first.Before(from) {
				out = append(out, monthPart{false, first, from.AddDays(-1), -1})
			}
			if end.Before(last) {
				out = append(out, monthPart{false, end.AddDays(1), last, -1})
			}
		}
		from = end.AddDays(1)
	}
	return out
}

// sourceWhere narrows a rollup query to one source; "" reads both.
func sourceWhere(source string) (string, []any) {
	if source == "" || source == outbound.SourceAll {
		return "", []any{}
	}
	return ` AND source = ?`, []any{source}
}

// pieces splits from..to into the whole months inside it (first days of
// the first and last month; zero when none) and the ranges of days around
// them.
func pieces(from, to outbound.Date) (days [][2]outbound.Date, months [2]outbound.Date) {
	first := outbound.Date{Year: from.Year, Month: from.Month, Day: 1}
	if from.Day != 1 {
		first = outbound.DateOf(first.Time(time.UTC).AddDate(0, 1, 0))
	}
	end := outbound.DateOf(outbound.Date{Year: to.Year, Month: to.Month, Day: 1}.Time(time.UTC).AddDate(0, 1, -1))
	if to != end {
		end = outbound.DateOf(outbound.Date{Year: to.Year, Month: to.Month, Day: 1}.Time(time.UTC).AddDate(0, 0, -1))
	}
	if end.Before(first) {
		return [][2]outbound.Date{{from, to}}, months
	}
	if from.Before(first) {
		days = append(days, [2]outbound.Date{from, first.AddDays(-1)})
	}
	if end.Before(to) {
		days = append(days, [2]outbound.Date{end.AddDays(1), to})
	}
	return days, [2]outbound.Date{first, {Year: end.Year, Month: end.Month, Day: 1}}
}

// dimsOf is what a report of f reads: every dimension it breaks down
// (full), or for a summary only those its other metrics come from.
func dimsOf(f outbound.ReportFilter, full []string, summary ...string) []string {
	if f.Summary {
		return summary
	}
	return full
}

// activity, seizures and yield are each one read of the period's sums
// (by the dimensions they break down) and tally's arithmetic.
func (db *DB) activity(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, dimsOf(f, []string{tally.All, tally.Modality, tally.Technique, tally.Trigger, tally.Outcome},
		tally.All, tally.Trigger)...) // the trigger: the pulse-and-surge share
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Activity(cs, sums)
	return rows, totals, nil
}

func (db *DB) seizures(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, dimsOf(f, []string{tally.All, tally.Category, tally.CategoryUnit}, tally.All)...)
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Seizures(cs, sums)
	return rows, totals, nil
}

// coverage counts days with inspections from the monthly masks, each
// trimmed to the period's days of its month.
func (db *DB) coverage(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	months, err := db.monthRows(ctx, f.Crossing, f.Source, f.From, f.To, dimsOf(f, []string{tally.All, tally.Modality, tally.Shift}, tally.All)...)
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Coverage(cs, months, f.From, f.To)
	return rows, totals, nil
}

// staffingReport: officer hours planned, worked and diverted (and why),
// and what outbound work costs at the loaded hourly rate.
func (db *DB) staffingReport(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	hours := map[string]*tally.Hours{}
	type row struct {
		c, reason                 string
		planned, worked, diverted float64
	}
	err := eachRow(ctx, db, `SELECT crossing, diversion_reason, sum(hours_planned), sum(hours_worked), sum(hours_diverted)
		FROM staffing s WHERE day >= ? AND day <= ? AND `+latestVersion+` GROUP BY crossing, diversion_reason`, func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.c, &r.reason, &r.planned, &r.worked, &r.diverted)
	}, func(r row) {
		h := hours[r.c]
		if h == nil {
			h = &tally.Hours{}
			hours[r.c] = h
		}
		h.Add(r.reason, r.planned, r.worked, r.diverted)
	}, f.From.String(), f.To.String())
	if err != nil {
		return nil, nil, err
	}
	sums, err := db.sums(ctx, f, tally.All)
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Staffing(cs, hours, sums, f.HourlyRate, f.BorderRates)
	return rows, totals, nil
}
