package tally

import (
	"math/bits"
	"time"

	"github.com/outbound-oss/outbound"
)

// MonthKey is a month's rollup row of one dimension's value at a
// crossing.
type MonthKey struct {
	Year, Month int
	Dim, Value  string
}

// MonthSums are a monthly row's inspections and the mask of its days with
// any: bit d-1 for day d, a local day of the crossing. A mask of local
// days, not of hours, is what makes coverage right across daylight-saving
// changes: the day of 23 or 25 hours is one bit like any other.
type MonthSums struct{ Inspections, Days int64 }

// Days is the number of days from..to, both included; 0 when to is
// before from.
func Days(from, to outbound.Date) int {
	if to.Before(from) {
		return 0
	}
	// Dates at midnight UTC are whole days apart: UTC has no daylight saving.
	return int(to.Time(time.UTC).Sub(from.Time(time.UTC)).Hours()/24) + 1
}

// PeriodMask is the mask of a month's days that fall in from..to: the
// period cuts its first and last month.
func PeriodMask(year, month int, from, to outbound.Date) int64 {
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

// Coverage is the coverage report from the monthly rows of the dimensions
// All, Modality and Shift of the months that from..to touches: per
// crossing the period's days, the days with an inspection, the longest
// run of days without one, and the days with one of each modality and
// shift. A month's mask counts only its days inside the period.
func Coverage(cs []outbound.Crossing, months map[string]map[MonthKey]MonthSums, from, to outbound.Date) ([]outbound.Row, outbound.Row) {
	inPeriod := map[[2]int]int64{}
	inspected := map[string]map[[2]int]int64{} // crossing -> (year, month) -> mask of days with any inspection
	byValue := map[string]map[Key]int64{}      // crossing -> (dim, value) -> days
	for c, rows := range months {
		inspected[c], byValue[c] = map[[2]int]int64{}, map[Key]int64{}
		for k, s := range rows {
			ym := [2]int{k.Year, k.Month}
			if _, ok := inPeriod[ym]; !ok {
				inPeriod[ym] = PeriodMask(k.Year, k.Month, from, to)
			}
			mask := s.Days & inPeriod[ym]
			byValue[c][Key{k.Dim, k.Value}] += int64(bits.OnesCount64(uint64(mask)))
			if k.Dim == All {
				inspected[c][ym] = mask
			}
		}
	}
	daysBy := func(code, dim string, vocab []string) outbound.Row {
		row := outbound.Row{}
		for _, v := range vocab {
			row = append(row, outbound.Cell{Key: outbound.Metric(v), Value: byValue[code][Key{dim, v}]})
		}
		return row
	}
	modalities, shifts := strs(outbound.Modalities), strs(outbound.Shifts)
	type dayBit struct {
		month [2]int
		bit   int64
	}
	var period []dayBit
	for d := from; !to.Before(d); d = d.AddDays(1) {
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
		rows = append(rows, append(head(c), outbound.Cell{Key: outbound.Days, Value: len(period)}, outbound.Cell{Key: outbound.DaysInspected, Value: n},
			outbound.Cell{Key: outbound.LongestGapDays, Value: gap}, outbound.Cell{Key: outbound.CoverageRate, Value: rate(float64(n), float64(len(period)))},
			outbound.Cell{Key: outbound.DaysInspectedByModality, Value: daysBy(c.Code, Modality, modalities)},
			outbound.Cell{Key: outbound.DaysInspectedByShift, Value: daysBy(c.Code, Shift, shifts)}))
	}
	return rows, outbound.Row{{Key: outbound.Crossings, Value: len(cs)}, {Key: outbound.Days, Value: totalDays}, {Key: outbound.DaysInspected, Value: totalInspected},
		{Key: outbound.LongestGapDays, Value: longest}, {Key: outbound.CoverageRate, Value: rate(float64(totalInspected), float64(totalDays))},
		{Key: outbound.CrossingsInspectedEveryDay, Value: every}}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
