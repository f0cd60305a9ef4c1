package tally

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// Activity is the activity report from the sums of the dimensions All,
// Modality, Technique, Trigger and Outcome per crossing: inspections, the
// share from pulse-and-surge operations, and a breakdown by each
// dimension in its vocabulary's order. An inspection counts once for each
// technique it used, so by_technique need not add up to inspections.
func Activity(cs []outbound.Crossing, sums map[string]map[Key]Sums) ([]outbound.Row, outbound.Row) {
	var rows []outbound.Row
	var all int64
	byM, byT, byTr, byO := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, c := range cs {
		s := sums[c.Code]
		n := s[allKey].Inspections
		all += n
		rows = append(rows, append(head(c),
			outbound.Cell{Key: outbound.Inspections, Value: n},
			outbound.Cell{Key: outbound.PulseSurgeShare, Value: rate(float64(s[Key{Trigger, string(outbound.PulseSurge)}].Inspections), float64(n))},
			outbound.Cell{Key: outbound.ByModality, Value: breakdown(outbound.Modalities, Modality, s, byM)},
			outbound.Cell{Key: outbound.ByTechnique, Value: breakdown(outbound.Techniques, Technique, s, byT)},
			outbound.Cell{Key: outbound.ByTrigger, Value: breakdown(outbound.Triggers, Trigger, s, byTr)},
			outbound.Cell{Key: outbound.ByOutcome, Value: breakdown(outbound.Outcomes, Outcome, s, byO)}))
	}
	totals := outbound.Row{{Key: outbound.Crossings, Value: len(cs)}, {Key: outbound.Inspections, Value: all},
		{Key: outbound.PulseSurgeShare, Value: rate(float64(byTr[string(outbound.PulseSurge)]), float64(all))},
		{Key: outbound.ByModality, Value: totalRow(outbound.Modalities, byM)}, {Key: outbound.ByTechnique, Value: totalRow(outbound.Techniques, byT)},
		{Key: outbound.ByTrigger, Value: totalRow(outbound.Triggers, byTr)}, {Key: outbound.ByOutcome, Value: totalRow(outbound.Outcomes, byO)}}
	return rows, totals
}

// breakdown is a row of one dimension's inspections, in the vocabulary's
// order, each added to total too.
func breakdown[T ~string](vocab []T, dim string, sums map[Key]Sums, total map[string]int64) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		n := sums[Key{dim, string(v)}].Inspections
		total[string(v)] += n
		row = append(row, outbound.Cell{Key: outbound.Metric(v), Value: n})
	}
	return row
}

func totalRow[T ~string](vocab []T, total map[string]int64) outbound.Row {
	row := outbound.Row{}
	for _, v := range vocab {
		row = append(row, outbound.Cell{Key: outbound.Metric(v), Value: total[string(v)]})
	}
	return row
}

// Seizures is the seizures report from the sums of the dimensions All,
// Category and CategoryUnit per crossing: seizure entries and their value,
// and by category the count, the quantities seized in each unit (as
// text: "12 kg; 3 each") and the value.
func Seizures(cs []outbound.Crossing, sums map[string]map[Key]Sums) ([]outbound.Row, outbound.Row) {
	var rows []outbound.Row
	var count int64
	var value float64
	catN, catV := map[outbound.Category]int64{}, map[outbound.Category]float64{}
	catQ := map[outbound.Category]map[string]float64{}
	for _, c := range cs {
		s := sums[c.Code]
		by := outbound.Row{}
		for _, cat := range outbound.Categories {
			x := s[Key{Category, string(cat)}]
			catN[cat] += x.Seizures
			catV[cat] += x.ValueUSD
			q := quantities(s, cat)
			if catQ[cat] == nil {
				catQ[cat] = map[string]float64{}
			}
			for u, n := range q {
				catQ[cat][u] += n
			}
			by = append(by, outbound.Cell{Key: outbound.Metric(cat), Value: outbound.Row{{Key: outbound.Count, Value: x.Seizures},
				{Key: outbound.Quantity, Value: describeQuantities(q)}, {Key: outbound.ValueUSD, Value: x.ValueUSD}}})
		}
		all := s[allKey]
		count += all.Seizures
		value += all.ValueUSD
		rows = append(rows, append(head(c), outbound.Cell{Key: outbound.Inspections, Value: all.Inspections},
			outbound.Cell{Key: outbound.Seizures, Value: all.Seizures}, outbound.Cell{Key: outbound.ValueUSD, Value: all.ValueUSD},
			outbound.Cell{Key: outbound.ByCategory, Value: by}))
	}
	by := outbound.Row{}
	for _, cat := range outbound.Categories {
		by = append(by, outbound.Cell{Key: outbound.Metric(cat), Value: outbound.Row{{Key: outbound.Count, Value: catN[cat]},
			{Key: outbound.Quantity, Value: describeQuantities(catQ[cat])}, {Key: outbound.ValueUSD, Value: catV[cat]}}})
	}
	return rows, outbound.Row{{Key: outbound.Crossings, Value: len(cs)}, {Key: outbound.Seizures, Value: count}, {Key: outbound.ValueUSD, Value: value},
		{Key: outbound.ByCategory, Value: by}}
}

// quantities sums a category's seized quantity per unit. Units are free
// text, so they are not a vocabulary to look up: the category's rows are
// found by their value's prefix.
func quantities(s map[Key]Sums, cat outbound.Category) map[string]float64 {
	out := map[string]float64{}
	for k, v := range s {
		if k.Dim == CategoryUnit && strings.HasPrefix(k.Value, string(cat)+"|") && v.Quantity != 0 {
			out[strings.TrimPrefix(k.Value, string(cat)+"|")] += v.Quantity
		}
	}
	return out
}

// describeQuantities writes quantities with their units, units in order:
// "48000 USD", or "12 kg; 3 each" when a category was seized in several.
func describeQuantities(q map[string]float64) string {
	var parts []string
	for _, u := range slices.Sorted(maps.Keys(q)) {
		// To a millionth: sums of decimals carry binary dust (0.1 + 0.2).
		parts = append(parts, strconv.FormatFloat(math.Round(q[u]*1e6)/1e6, 'f', -1, 64)+" "+u)
	}
	return strings.Join(parts, "; ")
}
