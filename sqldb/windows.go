package sqldb

import (
	"context"
	"strconv"
	"time"

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
	months   map[string]map[monthKey]monthSums             // crossing -> month, dim and value
	daily    map[string]map[outbound.Date]map[string]int64 // crossing -> day -> modality, read on demand
	err      error                                         // the first failure to read daily rows
}

// monthKey is a month's row of one dimension's value at a crossing.
type monthKey struct {
	year, month int
	dim, value  string
}

// monthSums are a monthly row's inspections and its mask of days with
// any (bit d-1 for day d).
type monthSums struct{ inspections, days int64 }

// monthRows reads the monthly rollups of the given dimensions for the
// months that days from..to touch, each dimension on its own connection
// (eachDim); crossing, if not "", narrows them. Masks keep every day of a
// month, so the caller trims them to the period.
func (db *DB) monthRows(ctx context.Context, crossing string, from, to outbound.Date, dims ...string) (map[string]map[monthKey]monthSums, error) {
	return eachDim(ctx, dims, func(ctx context.Context, dim string) (map[string]map[monthKey]monthSums, error) {
		out := map[string]map[monthKey]monthSums{}
		type row struct {
			c, month, value string
			s               monthSums
		}
		query, args := `SELECT crossing, month, value, inspections, days FROM inspection_rollup_month
			WHERE dim = ? AND month >= ? AND month <= ? AND inspections > 0`, []any{dim, firstOfMonth(from).String(), firstOfMonth(to).String()}
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
			if out[r.c] == nil {
				out[r.c] = map[monthKey]monthSums{}
			}
			out[r.c][monthKey{year, month, dim, r.value}] = r.s
		}, args...)
		return out, err
	})
}

// periodMask is the mask of a month's days that fall in from..to.
func periodMask(year, month int, from, to outbound.Date) int64 {
	var mask int64
	d := outbound.Date{Year: year, Month: time.Month(month), Day: 1}
	if d.Before(from) {
		d = from
	}
	for ; !to.Before(d) && int(d.Month) == month && d.Year == year; d = d.AddDays(1) {
		mask |= 1 << (d.Day - 1)
	}
	return mask
}

// newWindowTally reads the monthly rollups of the months that days
// from..to touch: of all inspections, and by modality only if a rule asks
// (six times the rows); crossing, if not "", narrows it.
func (db *DB) newWindowTally(ctx context.Context, crossing string, from, to outbound.Date, byModality bool) (*windowTally, error) {
	dims := []string{"all"}
	if byModality {
		dims = append(dims, "modality")
	}
	months, err := db.monthRows(ctx, crossing, from, to, dims...)
	return &windowTally{db: db, from: from, to: to, months: months, daily: map[string]map[outbound.Date]map[string]int64{}}, err
}

// keyOf is the monthly row that counts a modality ("" for all) in a day's
// month.
func keyOf(d outbound.Date, modality string) monthKey {
	if modality == "" {
		return monthKey{d.Year, int(d.Month), "all", ""}
	}
	return monthKey{d.Year, int(d.Month), "modality", modality}
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
			n += months[keyOf(start, v)].inspections
		}
		return n >= int64(need)
	case need == 1:
		for d := start; !end.Before(d); d = d.AddDays(1) {
			for _, v := range values {
				if months[keyOf(d, v)].days&(1<<(d.Day-1)) != 0 {
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
		if months[keyOf(d, "")].days&(1<<(d.Day-1)) != 0 {
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
