package tally

import "github.com/outbound-oss/outbound"

// Trend sums inspections and seizures per day, week (Monday to Sunday) or
// calendar month of local days. Weeks and months are buckets of days, so
// the sums of days and of whole months may be added alike.
type Trend struct {
	per    string
	points map[outbound.Date]*outbound.TrendPoint
}

// NewTrend makes an empty trend per outbound.PerDay, PerWeek or PerMonth.
func NewTrend(per string) *Trend {
	return &Trend{per: per, points: map[outbound.Date]*outbound.TrendPoint{}}
}

// start is the first day of the bucket that holds d.
func (t *Trend) start(d outbound.Date) outbound.Date {
	switch t.per {
	case outbound.PerMonth:
		return outbound.Date{Year: d.Year, Month: d.Month, Day: 1}
	case outbound.PerWeek:
		return d.AddDays(-outbound.MondayIndex(d))
	}
	return d
}

// Add adds the sums of a local day, or of a month given by its first day,
// to its bucket.
func (t *Trend) Add(day outbound.Date, inspections, seizures int64, valueUSD float64) {
	s := t.start(day)
	p := t.points[s]
	if p == nil {
		p = &outbound.TrendPoint{Start: s}
		t.points[s] = p
	}
	p.Inspections, p.Seizures, p.ValueUSD = p.Inspections+inspections, p.Seizures+seizures, p.ValueUSD+valueUSD
}

// Points are the buckets that local days from..to touch, in order, empty
// ones too: a chart shows a week without inspections as zero, not as a
// missing week. The first and last may reach beyond the period.
func (t *Trend) Points(from, to outbound.Date) []outbound.TrendPoint {
	var out []outbound.TrendPoint
	for d := t.start(from); !to.Before(d); {
		p := outbound.TrendPoint{Start: d}
		if s := t.points[d]; s != nil {
			p = *s
		}
		out = append(out, p)
		switch t.per {
		case outbound.PerMonth:
			d = t.start(d.AddDays(31))
		case outbound.PerWeek:
			d = d.AddDays(7)
		default:
			d = d.AddDays(1)
		}
	}
	return out
}
