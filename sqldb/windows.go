package sqldb

import (
	"context"
	"strconv"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

// windowTally says whether minimum-frequency windows were met from the
// monthly rollups: a month's sum settles a monthly window, and the month's
// mask of days with inspections settles any window that needs one
// inspection. Only a rule that needs more than one inspection in a window
// shorter than a month reads daily rows, of its crossing alone. A national
// year is then about 167 x 12 x 6 monthly rows instead of 167 x 365 x 6
// daily ones.
type windowTally struct {
	db       *DB
	from, to outbound.Date
	months   map[string]map[monthValue]monthSums           // crossing -> month and modality
	daily    map[string]map[outbound.Date]map[string]int64 // crossing -> day -> modality, read on demand
	err      error                                         // the first failure to read daily rows
}

// monthValue is a crossing's month and a modality ("" for all).
type monthValue struct {
	year  int
	month int
	value string
}

type monthSums struct{ inspections, days int64 }

// newWindowTally reads the monthly rollups of the months that days
// from..to touch: of all inspections, and by modality only if a rule asks
// (six times the rows); crossing, if not "", narrows it.
func (db *DB) newWindowTally(ctx context.Context, crossing string, from, to outbound.Date, byModality bool) (*windowTally, error) {
	t := &windowTally{db: db, from: from, to: to, months: map[string]map[monthValue]monthSums{}, daily: map[string]map[outbound.Date]map[string]int64{}}
	type row struct {
		c, month, value string
		s               monthSums
	}
	dims := `'all'`
	if byModality {
		dims = `'all', 'modality'`
	}
	query, args := `SELECT crossing, month, value, inspections, days FROM inspection_rollup_month
		WHERE dim IN (`+dims+`) AND month >= ? AND month <= ? AND inspections > 0`,
		[]any{firstOfMonth(from).String(), firstOfMonth(to).String()}
	if crossing != "" {
		query, args = query+` AND crossing = ?`, append(args, crossing)
	}
	err := eachRow(ctx, db, query, func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.c, &r.month, &r.value, &r.s.inspections, &r.s.days)
	}, func(r row) {
		year, month, ok := yearMonth(r.month)
		if !ok {
			return
		}
		if t.months[r.c] == nil {
			t.months[r.c] = map[monthValue]monthSums{}
		}
		t.months[r.c][monthValue{year, month, r.value}] = r.s
	}, args...)
	return t, err
}

func firstOfMonth(d outbound.Date) outbound.Date {
	return outbound.Date{Year: d.Year, Month: d.Month, Day: 1}
}

// met says whether rule r's minimum was met at a crossing over local days
// start..end, a window inside the tally's period.
func (t *windowTally) met(ctx context.Context, code string, r *policy.Rule, start, end outbound.Date) bool {
	need := r.MinInspections.Count
	values := r.Modalities()
	if values == nil {
		values = []string{""}
	}
	months := t.months[code]
	switch {
	case need <= 0:
		return true
	case r.MinInspections.Per == "month": // a calendar month
		n := int64(0)
		for _, v := range values {
			n += months[monthValue{start.Year, int(start.Month), v}].inspections
		}
		return n >= int64(need)
	case need == 1:
		for d := start; !end.Before(d); d = d.AddDays(1) {
			for _, v := range values {
				if months[monthValue{d.Year, int(d.Month), v}].days&(1<<(d.Day-1)) != 0 {
					return true
				}
			}
		}
		return false
	}
	counts, ok := t.daily[code]
	if !ok {
		all, err := t.db.dailyCounts(ctx, code, t.from, t.to)
		if err != nil && t.err == nil {
			t.err = err
		}
		counts = all[code]
		t.daily[code] = counts
	}
	n := int64(0)
	for d := start; !end.Before(d); d = d.AddDays(1) {
		for _, v := range values {
			n += counts[d][v]
		}
	}
	return n >= int64(need)
}

// daysInspected counts the days of the tally's period with any inspection
// at a crossing.
func (t *windowTally) daysInspected(code string) int {
	months := t.months[code]
	n := 0
	for d := t.from; !t.to.Before(d); d = d.AddDays(1) {
		if months[monthValue{d.Year, int(d.Month), ""}].days&(1<<(d.Day-1)) != 0 {
			n++
		}
	}
	return n
}

// yearMonth reads "YYYY-MM-DD"'s year and month without a time parser:
// a year's national rollups are thousands of rows.
func yearMonth(s string) (year, month int, ok bool) {
	if len(s) < 7 {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	return y, m, err1 == nil && err2 == nil
}
