package sqldb

import (
	"context"
	"maps"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
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

// quantities sums a category's seized quantity per unit.
func quantities(s map[rollupKey]rollupSums, cat outbound.Category) map[string]float64 {
	out := map[string]float64{}
	for k, v := range s {
		if k.dim == "category_unit" && strings.HasPrefix(k.value, string(cat)+"|") && v.quantity != 0 {
			out[strings.TrimPrefix(k.value, string(cat)+"|")] += v.quantity
		}
	}
	return out
}

// describeQuantities writes quantities with their units, units in order:
// "48000 USD", or "12 kg; 3 each" when a category was seized in several.
func describeQuantities(q map[string]float64) string {
	var parts []string
	for _, u := range slices.Sorted(maps.Keys(q)) {
		parts = append(parts, strconv.FormatFloat(q[u], 'f', -1, 64)+" "+u)
	}
	return strings.Join(parts, "; ")
}

// head starts a crossing's row.
func head(c outbound.Crossing) outbound.Row {
	return outbound.Row{{Key: "crossing", Value: c.Code}, {Key: "border", Value: string(c.Border)}}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func rate(num, den float64) any {
	if den == 0 {
		return nil
	}
	return num / den
}

// sums reads the rollups of a period, per crossing, dim and value: whole
// months from the monthly rollups, the days around them from the daily.
// Each dimension is read on a connection of its own, at once: a national
// year of one is a few thousand rows to sort and sum, and the database
// does that on every core.
//
// Within a request that carries a memo (a page), one dimension of one
// period is read once, however many reports ask.
func (db *DB) sums(ctx context.Context, f outbound.ReportFilter, dims ...string) (map[string]map[rollupKey]rollupSums, error) {
	return eachDim(ctx, dims, func(ctx context.Context, dim string) (map[string]map[rollupKey]rollupSums, error) {
		key := "sums|" + dim + "|" + f.From.String() + "|" + f.To.String() + "|" + f.Crossing
		return outbound.Remember(ctx, key, func() (map[string]map[rollupKey]rollupSums, error) { return db.dimSums(ctx, f, dim) })
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
	out := map[string]map[K]V{} // a fresh map: the parts may be shared (sums' memo)
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
func (db *DB) dimSums(ctx context.Context, f outbound.ReportFilter, dim string) (map[string]map[rollupKey]rollupSums, error) {
	type row struct {
		k rollupKey
		v rollupSums
	}
	out := map[string]map[rollupKey]rollupSums{}
	scan := func(s scanner) (row, string, error) {
		var r row
		err := s.Scan(&r.k.crossing, &r.k.value, &r.v.inspections, &r.v.seizures, &r.v.valueUSD, &r.v.officerMins, &r.v.quantity)
		return r, "", err
	}
	add := func(r row) {
		if out[r.k.crossing] == nil {
			out[r.k.crossing] = map[rollupKey]rollupSums{}
		}
		k := rollupKey{dim: dim, value: r.k.value}
		cur := out[r.k.crossing][k]
		addSums(&cur, r.v)
		out[r.k.crossing][k] = cur
	}
	const cols = `crossing, value, sum(inspections), sum(seizures), sum(value_usd), sum(officer_minutes), sum(quantity)`
	one, only := "", []any{} // a report of one crossing reads its rows only
	if f.Crossing != "" {
		one, only = ` AND crossing = ?`, []any{f.Crossing}
	}
	days, months := pieces(f.From, f.To)
	if months[0] != (outbound.Date{}) {
		if err := eachRow(ctx, db, `SELECT `+cols+` FROM inspection_rollup_month WHERE dim = ? AND month >= ? AND month <= ?`+one+`
			GROUP BY crossing, value`, scan, add, append([]any{dim, months[0].String(), months[1].String()}, only...)...); err != nil {
			return nil, err
		}
	}
	for _, d := range days {
		if err := eachRow(ctx, db, `SELECT `+cols+` FROM inspection_rollup WHERE dim = ? AND day >= ? AND day <= ?`+one+`
			GROUP BY crossing, value`, scan, add, append([]any{dim, d[0].String(), d[1].String()}, only...)...); err != nil {
			return nil, err
		}
	}
	return out, nil
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

// breakdown is a row of one dimension's counts, in the vocabulary's order.
func breakdown[T ~string](vocab []T, dim string, sums map[rollupKey]rollupSums, total map[string]int64) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		n := sums[rollupKey{dim: dim, value: string(v)}].inspections
		total[string(v)] += n
		row = append(row, outbound.Cell{Key: string(v), Value: n})
	}
	return row
}

func totalRow[T ~string](vocab []T, total map[string]int64) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		row = append(row, outbound.Cell{Key: string(v), Value: total[string(v)]})
	}
	return row
}

func (db *DB) activity(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, "all", "modality", "technique", "trigger", "outcome")
	if err != nil {
		return nil, nil, err
	}
	var rows []outbound.Row
	var all int64
	byM, byT, byTr, byO := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, c := range cs {
		s := sums[c.Code]
		n := s[rollupKey{dim: "all"}].inspections
		all += n
		rows = append(rows, append(head(c),
			outbound.Cell{Key: "inspections", Value: n},
			outbound.Cell{Key: "pulse_surge_share", Value: rate(float64(s[rollupKey{dim: "trigger", value: string(outbound.PulseSurge)}].inspections), float64(n))},
			outbound.Cell{Key: "by_modality", Value: breakdown(outbound.Modalities, "modality", s, byM)},
			outbound.Cell{Key: "by_technique", Value: breakdown(outbound.Techniques, "technique", s, byT)},
			outbound.Cell{Key: "by_trigger", Value: breakdown(outbound.Triggers, "trigger", s, byTr)},
			outbound.Cell{Key: "by_outcome", Value: breakdown(outbound.Outcomes, "outcome", s, byO)}))
	}
	totals := outbound.Row{{Key: "crossings", Value: len(cs)}, {Key: "inspections", Value: all},
		{Key: "pulse_surge_share", Value: rate(float64(byTr[string(outbound.PulseSurge)]), float64(all))},
		{Key: "by_modality", Value: totalRow(outbound.Modalities, byM)}, {Key: "by_technique", Value: totalRow(outbound.Techniques, byT)},
		{Key: "by_trigger", Value: totalRow(outbound.Triggers, byTr)}, {Key: "by_outcome", Value: totalRow(outbound.Outcomes, byO)}}
	return rows, totals, nil
}

func (db *DB) seizures(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, "all", "category", "category_unit")
	if err != nil {
		return nil, nil, err
	}
	var rows []outbound.Row
	var count int64
	var value float64
	catN, catV := map[outbound.Category]int64{}, map[outbound.Category]float64{}
	catQ := map[outbound.Category]map[string]float64{}
	for _, c := range cs {
		s := sums[c.Code]
		by := outbound.Row{}
		for _, cat := range outbound.Categories {
			x := s[rollupKey{dim: "category", value: string(cat)}]
			catN[cat] += x.seizures
			catV[cat] += x.valueUSD
			q := quantities(s, cat)
			if catQ[cat] == nil {
				catQ[cat] = map[string]float64{}
			}
			for u, n := range q {
				catQ[cat][u] += n
			}
			by = append(by, outbound.Cell{Key: string(cat), Value: outbound.Row{{Key: "count", Value: x.seizures},
				{Key: "quantity", Value: describeQuantities(q)}, {Key: "value_usd", Value: x.valueUSD}}})
		}
		all := s[rollupKey{dim: "all"}]
		count += all.seizures
		value += all.valueUSD
		rows = append(rows, append(head(c), outbound.Cell{Key: "inspections", Value: all.inspections},
			outbound.Cell{Key: "seizures", Value: all.seizures}, outbound.Cell{Key: "value_usd", Value: all.valueUSD},
			outbound.Cell{Key: "by_category", Value: by}))
	}
	by := outbound.Row{}
	for _, cat := range outbound.Categories {
		by = append(by, outbound.Cell{Key: string(cat), Value: outbound.Row{{Key: "count", Value: catN[cat]},
			{Key: "quantity", Value: describeQuantities(catQ[cat])}, {Key: "value_usd", Value: catV[cat]}}})
	}
	return rows, outbound.Row{{Key: "crossings", Value: len(cs)}, {Key: "seizures", Value: count}, {Key: "value_usd", Value: value},
		{Key: "by_category", Value: by}}, nil
}

// coverage counts days with inspections from the monthly masks, each
// trimmed to the period's days of its month.
func (db *DB) coverage(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	months, err := db.monthRows(ctx, f.Crossing, f.From, f.To, "all", "modality", "shift")
	if err != nil {
		return nil, nil, err
	}
	inPeriod := map[[2]int]int64{}
	inspected := map[string]map[[2]int]int64{}  // crossing -> (year, month) -> mask of days with any inspection
	byValue := map[string]map[rollupKey]int64{} // crossing -> (dim, value) -> days
	for c, rows := range months {
		inspected[c], byValue[c] = map[[2]int]int64{}, map[rollupKey]int64{}
		for k, s := range rows {
			ym := [2]int{k.year, k.month}
			if _, ok := inPeriod[ym]; !ok {
				inPeriod[ym] = periodMask(k.year, k.month, f.From, f.To)
			}
			mask := s.days & inPeriod[ym]
			byValue[c][rollupKey{dim: k.dim, value: k.value}] += int64(bits.OnesCount64(uint64(mask)))
			if k.dim == "all" {
				inspected[c][ym] = mask
			}
		}
	}
	daysBy := func(code, dim string, vocab []string) outbound.Row {
		row := outbound.Row{}
		for _, v := range vocab {
			row = append(row, outbound.Cell{Key: v, Value: byValue[code][rollupKey{dim: dim, value: v}]})
		}
		return row
	}
	modalities, shifts := strs(outbound.Modalities), strs(outbound.Shifts)
	type dayBit struct {
		month [2]int
		bit   int64
	}
	var period []dayBit
	for d := f.From; !f.To.Before(d); d = d.AddDays(1) {
		period = append(period, dayBit{[2]int{d.Year, int(d.Month)}, 1 << (d.Day - 1)})
	}
	var rows []outbound.Row
	var totalDays, totalInspected, longest, every int
	for _, c := range cs {
		n, gap, run := 0, 0, 0
		for _, d := range period {
			if inspected[c.Code][d.month]&d.bit != 0 {
				n, run = n+1, 0
				continue
			}
			run++
			gap = max(gap, run)
		}
		totalDays += len(period)
		totalInspected += n
		longest = max(longest, gap)
		if n == len(period) {
			every++
		}
		rows = append(rows, append(head(c), outbound.Cell{Key: "days", Value: len(period)}, outbound.Cell{Key: "days_inspected", Value: n},
			outbound.Cell{Key: "longest_gap_days", Value: gap}, outbound.Cell{Key: "coverage_rate", Value: rate(float64(n), float64(len(period)))},
			outbound.Cell{Key: "days_inspected_by_modality", Value: daysBy(c.Code, "modality", modalities)},
			outbound.Cell{Key: "days_inspected_by_shift", Value: daysBy(c.Code, "shift", shifts)}))
	}
	return rows, outbound.Row{{Key: "crossings", Value: len(cs)}, {Key: "days", Value: totalDays}, {Key: "days_inspected", Value: totalInspected},
		{Key: "longest_gap_days", Value: longest}, {Key: "coverage_rate", Value: rate(float64(totalInspected), float64(totalDays))},
		{Key: "crossings_inspected_every_day", Value: every}}, nil
}

// staffingReport: officer hours planned, worked and diverted (and why),
// and what outbound work costs at the loaded hourly rate.
func (db *DB) staffingReport(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	type hours struct{ planned, worked, diverted float64 }
	by := map[string]*hours{}
	reasons := map[string]map[string]float64{}
	err := eachRow(ctx, db, `SELECT crossing, diversion_reason, sum(hours_planned), sum(hours_worked), sum(hours_diverted)
		FROM staffing WHERE day >= ? AND day <= ? GROUP BY crossing, diversion_reason`, func(s scanner) (struct {
		c, reason string
		h         hours
	}, string, error) {
		var r struct {
			c, reason string
			h         hours
		}
		return r, "", s.Scan(&r.c, &r.reason, &r.h.planned, &r.h.worked, &r.h.diverted)
	}, func(r struct {
		c, reason string
		h         hours
	}) {
		if by[r.c] == nil {
			by[r.c], reasons[r.c] = &hours{}, map[string]float64{}
		}
		h := by[r.c]
		h.planned, h.worked, h.diverted = h.planned+r.h.planned, h.worked+r.h.worked, h.diverted+r.h.diverted
		reasons[r.c][r.reason] += r.h.diverted
	}, f.From.String(), f.To.String())
	if err != nil {
		return nil, nil, err
	}
	sums, err := db.sums(ctx, f, "all")
	if err != nil {
		return nil, nil, err
	}
	rateAt := func(c outbound.Crossing) float64 {
		if r, ok := f.BorderRates[string(c.Border)]; ok {
			return r
		}
		return f.HourlyRate
	}
	row := func(h hours, cost float64, inspections, seizures int64, why map[string]float64) []outbound.Cell {
		reason := outbound.Row{}
		for _, r := range outbound.DiversionReasons {
			reason = append(reason, outbound.Cell{Key: string(r), Value: why[string(r)]})
		}
		return []outbound.Cell{{Key: "hours_planned", Value: h.planned}, {Key: "hours_worked", Value: h.worked},
			{Key: "hours_diverted", Value: h.diverted}, {Key: "diversion_rate", Value: rate(h.diverted, h.planned)},
			{Key: "diverted_by_reason", Value: reason}, {Key: "cost_usd", Value: cost},
			{Key: "inspections", Value: inspections}, {Key: "seizures", Value: seizures},
			{Key: "cost_per_inspection", Value: rate(cost, float64(inspections))},
			{Key: "cost_per_seizure", Value: rate(cost, float64(seizures))}}
	}
	var rows []outbound.Row
	var t hours
	var inspections, seizures int64
	var cost float64
	why := map[string]float64{}
	for _, c := range cs {
		h := hours{}
		if by[c.Code] != nil {
			h = *by[c.Code]
		}
		cost += h.worked * rateAt(c)
		x := sums[c.Code][rollupKey{dim: "all"}]
		t.planned, t.worked, t.diverted = t.planned+h.planned, t.worked+h.worked, t.diverted+h.diverted
		inspections, seizures = inspections+x.inspections, seizures+x.seizures
		for r, n := range reasons[c.Code] {
			why[r] += n
		}
		rows = append(rows, append(head(c), row(h, h.worked*rateAt(c), x.inspections, x.seizures, reasons[c.Code])...))
	}
	return rows, append(outbound.Row{{Key: "crossings", Value: len(cs)}}, row(t, cost, inspections, seizures, why)...), nil
}
