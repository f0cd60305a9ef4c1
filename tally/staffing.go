package tally

import "github.com/outbound-oss/outbound"

// Hours are the officer hours on outbound duty at a crossing over a
// period: planned, worked, and diverted to inbound work, in all and by
// the reason given.
type Hours struct {
	Planned, Worked, Diverted float64
	ByReason                  map[string]float64 // hours diverted; nil when none were recorded
}

// Add adds a staffing sum whose diverted hours had one reason.
func (h *Hours) Add(reason string, planned, worked, diverted float64) {
	if h.ByReason == nil {
		h.ByReason = map[string]float64{}
	}
	h.Planned, h.Worked, h.Diverted = h.Planned+planned, h.Worked+worked, h.Diverted+diverted
	h.ByReason[reason] += diverted
}

// Staffing is the staffing report from each crossing's Hours (missing:
// none recorded) and the sums of the dimension All: hours and the
// diversion rate (of planned hours), what the hours worked cost at the
// loaded hourly rate of the crossing's border (borderRates, else
// hourlyRate), and that cost per inspection and per seizure.
func Staffing(cs []outbound.Crossing, hours map[string]*Hours, sums map[string]map[Key]Sums, hourlyRate float64, borderRates map[string]float64) ([]outbound.Row, outbound.Row) {
	rateAt := func(c outbound.Crossing) float64 {
		if r, ok := borderRates[string(c.Border)]; ok {
			return r
		}
		return hourlyRate
	}
	var rows []outbound.Row
	var t Hours
	var inspections, seizures int64
	var cost float64
	why := map[string]float64{}
	for _, c := range cs {
		h := Hours{}
		if hours[c.Code] != nil {
			h = *hours[c.Code]
		}
		cost += h.Worked * rateAt(c)
		x := sums[c.Code][allKey]
		t.Planned, t.Worked, t.Diverted = t.Planned+h.Planned, t.Worked+h.Worked, t.Diverted+h.Diverted
		inspections, seizures = inspections+x.Inspections, seizures+x.Seizures
		for r, n := range h.ByReason {
			why[r] += n
		}
		rows = append(rows, staffingCells(head(c), h, h.Worked*rateAt(c), x.Inspections, x.Seizures, h.ByReason))
	}
	return rows, staffingCells(outbound.Row{{Key: outbound.Crossings, Value: len(cs)}}, t, cost, inspections, seizures, why)
}

// staffingCells appends a row's figures to its head. It appends rather
// than returns them: a slice returned from a call that is not inlined is
// one more allocation per crossing.
func staffingCells(row outbound.Row, h Hours, cost float64, inspections, seizures int64, why map[string]float64) outbound.Row {
	reason := outbound.Row{}
	for _, r := range outbound.DiversionReasons {
		reason = append(reason, outbound.Cell{Key: outbound.Metric(r), Value: why[string(r)]})
	}
	return append(row, []outbound.Cell{{Key: outbound.HoursPlanned, Value: h.Planned}, {Key: outbound.HoursWorked, Value: h.Worked},
		{Key: outbound.HoursDiverted, Value: h.Diverted}, {Key: outbound.DiversionRate, Value: rate(h.Diverted, h.Planned)},
		{Key: outbound.DivertedByReason, Value: reason}, {Key: outbound.CostUSD, Value: cost},
		{Key: outbound.Inspections, Value: inspections}, {Key: outbound.Seizures, Value: seizures},
		{Key: outbound.CostPerInspection, Value: rate(cost, float64(inspections))},
		{Key: outbound.CostPerSeizure, Value: rate(cost, float64(seizures))}}...)
}
