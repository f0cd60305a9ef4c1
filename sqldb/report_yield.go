package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
)

// yieldCells are an inspection group's results per effort.
func yieldCells(s rollupSums) outbound.Row {
	return outbound.Row{{Key: "inspections", Value: s.inspections}, {Key: "seizures", Value: s.seizures},
		{Key: "value_usd", Value: s.valueUSD}, {Key: "officer_hours", Value: s.officerMins / 60},
		{Key: "seizures_per_100_inspections", Value: rate(100*float64(s.seizures), float64(s.inspections))},
		{Key: "value_per_officer_hour", Value: rate(s.valueUSD, s.officerMins/60)}}
}

func addSums(a *rollupSums, b rollupSums) {
	a.inspections += b.inspections
	a.seizures += b.seizures
	a.valueUSD += b.valueUSD
	a.officerMins += b.officerMins
	a.quantity += b.quantity
}

// yieldBrief is a breakdown entry's yield.
func yieldBrief(s rollupSums) outbound.Row {
	return outbound.Row{{Key: "inspections", Value: s.inspections}, {Key: "seizures", Value: s.seizures},
		{Key: "seizures_per_100_inspections", Value: rate(100*float64(s.seizures), float64(s.inspections))}}
}

func yieldBy[T ~string](vocab []T, dim string, s map[rollupKey]rollupSums, total map[string]*rollupSums) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		x := s[rollupKey{dim: dim, value: string(v)}]
		if total[string(v)] == nil {
			total[string(v)] = &rollupSums{}
		}
		addSums(total[string(v)], x)
		row = append(row, outbound.Cell{Key: string(v), Value: yieldBrief(x)})
	}
	return row
}

func yieldTotals[T ~string](vocab []T, total map[string]*rollupSums) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		x := rollupSums{}
		if total[string(v)] != nil {
			x = *total[string(v)]
		}
		row = append(row, outbound.Cell{Key: string(v), Value: yieldBrief(x)})
	}
	return row
}

// yield: seizures per 100 inspections and value per officer hour, overall
// and by technique and trigger.
func (db *DB) yield(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	sums, err := db.sums(ctx, f, "all", "technique", "trigger")
	if err != nil {
		return nil, nil, err
	}
	var rows []outbound.Row
	var all rollupSums
	byT, byTr := map[string]*rollupSums{}, map[string]*rollupSums{}
	for _, c := range cs {
		s := sums[c.Code]
		x := s[rollupKey{dim: "all"}]
		addSums(&all, x)
		row := append(head(c), yieldCells(x)...)
		rows = append(rows, append(row, outbound.Cell{Key: "by_technique", Value: yieldBy(outbound.Techniques, "technique", s, byT)},
			outbound.Cell{Key: "by_trigger", Value: yieldBy(outbound.Triggers, "trigger", s, byTr)}))
	}
	totals := append(outbound.Row{{Key: "crossings", Value: len(cs)}}, yieldCells(all)...)
	totals = append(totals, outbound.Cell{Key: "by_technique", Value: yieldTotals(outbound.Techniques, byT)},
		outbound.Cell{Key: "by_trigger", Value: yieldTotals(outbound.Triggers, byTr)})
	return rows, totals, nil
}

// btsMeasures are the BTS inbound measures that stand for people and
// vehicles crossing, used to estimate exits where none were counted.
