package tally

import "github.com/outbound-oss/outbound"

// Yield is the yield report from the sums of the dimensions All, Technique
// and Trigger per crossing: seizures per 100 inspections and value seized
// per officer hour, overall and, briefer, by technique and by trigger.
func Yield(cs []outbound.Crossing, sums map[string]map[Key]Sums) ([]outbound.Row, outbound.Row) {
	var rows []outbound.Row
	var all Sums
	byT, byTr := map[string]*Sums{}, map[string]*Sums{}
	for _, c := range cs {
		s := sums[c.Code]
		x := s[allKey]
		all.Add(x)
		row := append(head(c), yieldCells(x)...)
		rows = append(rows, append(row, outbound.Cell{Key: outbound.ByTechnique, Value: yieldBy(outbound.Techniques, Technique, s, byT)},
			outbound.Cell{Key: outbound.ByTrigger, Value: yieldBy(outbound.Triggers, Trigger, s, byTr)}))
	}
	totals := append(outbound.Row{{Key: outbound.Crossings, Value: len(cs)}}, yieldCells(all)...)
	totals = append(totals, outbound.Cell{Key: outbound.ByTechnique, Value: yieldTotals(outbound.Techniques, byT)},
		outbound.Cell{Key: outbound.ByTrigger, Value: yieldTotals(outbound.Triggers, byTr)})
	return rows, totals
}

// yieldCells are an inspection group's results per effort.
func yieldCells(s Sums) outbound.Row {
	return outbound.Row{{Key: outbound.Inspections, Value: s.Inspections}, {Key: outbound.Seizures, Value: s.Seizures},
		{Key: outbound.ValueUSD, Value: s.ValueUSD}, {Key: outbound.OfficerHours, Value: s.OfficerMinutes / 60},
		{Key: outbound.SeizuresPer100Inspections, Value: rate(100*float64(s.Seizures), float64(s.Inspections))},
		{Key: outbound.ValuePerOfficerHour, Value: rate(s.ValueUSD, s.OfficerMinutes/60)}}
}

// yieldBrief is a breakdown entry's yield.
func yieldBrief(s Sums) outbound.Row {
	return outbound.Row{{Key: outbound.Inspections, Value: s.Inspections}, {Key: outbound.Seizures, Value: s.Seizures},
		{Key: outbound.SeizuresPer100Inspections, Value: rate(100*float64(s.Seizures), float64(s.Inspections))}}
}

func yieldBy[T ~string](vocab []T, dim string, s map[Key]Sums, total map[string]*Sums) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		x := s[Key{dim, string(v)}]
		if total[string(v)] == nil {
			total[string(v)] = &Sums{}
		}
		total[string(v)].Add(x)
		row = append(row, outbound.Cell{Key: outbound.Metric(v), Value: yieldBrief(x)})
	}
	return row
}

func yieldTotals[T ~string](vocab []T, total map[string]*Sums) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		x := Sums{}
		if total[string(v)] != nil {
			x = *total[string(v)]
		}
		row = append(row, outbound.Cell{Key: outbound.Metric(v), Value: yieldBrief(x)})
	}
	return row
}
