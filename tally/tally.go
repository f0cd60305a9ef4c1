// Package tally is the arithmetic of the reports. Storage reads sums (per
// crossing, dimension and value over a period; monthly masks of the days
// with inspections; officer hours; exit counts) and hands them here; tally
// turns them into each report's rows, one per crossing, and totals, with
// rates that are null when their denominator is zero. It knows no
// database, so that each figure is tested on sums written by hand, and a
// metric's arithmetic is said once, whichever storage reads the sums.
package tally

import "github.com/outbound-oss/outbound"

// The dimensions of the rollups. A rollup row counts the inspections of
// one value of one dimension (the modality "truck") at a crossing on a
// day or in a month; the dimension All has the single value "".
const (
	All          = "all"
	Modality     = "modality"
	Technique    = "technique"
	Trigger      = "trigger"
	Outcome      = "outcome"
	Shift        = "shift"
	Category     = "category"
	CategoryUnit = "category_unit" // "currency|USD": a category's quantity in one unit
)

// Key is one value of one dimension.
type Key struct{ Dim, Value string }

// Sums are the sums of a key's rollup rows at a crossing over a period.
// Every dimension's rows carry their inspections' seizures, value and
// officer time, so that yield breaks down by technique or trigger.
type Sums struct {
	Inspections, Seizures int64
	ValueUSD              float64
	OfficerMinutes        float64 // inspection duration times officers named
	Quantity              float64 // category_unit rows only
}

// Add adds o to s.
func (s *Sums) Add(o Sums) {
	s.Inspections += o.Inspections
	s.Seizures += o.Seizures
	s.ValueUSD += o.ValueUSD
	s.OfficerMinutes += o.OfficerMinutes
	s.Quantity += o.Quantity
}

// allKey is the key of every inspection.
var allKey = Key{Dim: All}

// rate is num/den, or nil (null in JSON, blank in CSV) when den is zero:
// a rate of nothing is unknown, not 0.
func rate(num, den float64) any {
	if den == 0 {
		return nil
	}
	return num / den
}

// head starts a crossing's row.
func head(c outbound.Crossing) outbound.Row {
	return outbound.Row{{Key: outbound.CrossingKey, Value: c.Code}, {Key: outbound.BorderKey, Value: string(c.Border)}}
}
