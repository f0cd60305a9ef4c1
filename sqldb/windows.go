package sqldb

import (
	"context"
	"strconv"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// monthRows reads the monthly rollups of the given dimensions for the
// months that days from..to touch, each dimension on its own connection
// (eachDim); crossing, if not "", narrows them, as source does (sourceWhere:
// both sources' rows of a month are merged). Masks keep every day of a
// month, so the caller trims them to the period.
func (db *DB) monthRows(ctx context.Context, crossing, source string, from, to outbound.Date, dims ...string) (map[string]map[tally.MonthKey]tally.MonthSums, error) {
	return eachDim(ctx, dims, func(ctx context.Context, dim string) (map[string]map[tally.MonthKey]tally.MonthSums, error) {
		out := map[string]map[tally.MonthKey]tally.MonthSums{}
		type row struct {
			c, month, value string
			s               tally.MonthSums
		}
		only, sargs := sourceWhere(source)
		query, args := `SELECT crossing, month, value, inspections, days FROM inspection_rollup_month
			WHERE dim = ? AND month >= ? AND month <= ? AND inspections > 0`+only, append([]any{dim, firstOfMonth(from).String(), firstOfMonth(to).String()}, sargs...)
		if crossing != "" {
			query, args = query+` AND crossing = ?`, append(args, crossing)
		}
		err := eachRow(ctx, db, query, func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.c, &r.month, &r.value, &r.s.Inspections, &r.s.Days)
		}, func(r row) {
			year, month, ok := yearMonth(r.month)
			if !ok {
				return
			}
			if out[r.c] == nil {
				out[r.c] = map[tally.MonthKey]tally.MonthSums{}
			}
			k := tally.MonthKey{Year: year, Month: month, Dim: dim, Value: r.value}
			cur := out[r.c][k]
			cur.Inspections += r.s.Inspections
			cur.Days |= r.s.Days
			out[r.c][k] = cur
		}, args...)
		return out, err
	})
}

// newWindows reads the monthly rollups of the months that days from..to
// touch, for tally to judge windows with: of all inspections, and by
// modality only if a rule asks (six times the rows); crossing, if not "",
// narrows it. Daily rows are read only for the crossing of a rule that
// needs them (tally.Windows says when).
func (db *DB) newWindows(ctx context.Context, crossing, source string, from, to outbound.Date, byModality bool) (*tally.Windows, error) {
	dims := []string{tally.All}
	if byModality {
		dims = append(dims, tally.Modality)
	}
	months, err := db.monthRows(ctx, crossing, source, from, to, dims...)
	return tally.NewWindows(from, to, months, func(code string) (map[outbound.Date]map[string]int64, error) {
		all, err := db.dailyCounts(ctx, code, source, from, to)
		return all[code], err
	}), err
}

func firstOfMonth(d outbound.Date) outbound.Date {
	return outbound.Date{Year: d.Year, Month: d.Month, Day: 1}
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
