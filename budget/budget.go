// Package budget turns what each crossing must do under the policy, what
// it did, and what it lacks into a budget request for a fiscal year: the
// officer hours the minimum frequency and a target inspection rate need,
// against the hours worked the year before, and the equipment that closes
// its gaps. It is pure: the numbers come in, and every line keeps the
// figures it was computed from, so the arithmetic can be shown.
//
// The staffing model: a crossing will inspect as it did (its mix of
// practices, a practice being a modality and a set of techniques, each
// with its measured duration), with at least as many officers as the
// policy requires for each practice. Officers are posted in blocks: every
// window of the minimum frequency needs at least one block of a full team,
// however few inspections it holds.
package budget

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/outbound-oss/outbound"
)

// Assumptions are the figures a request rests on; a request states them.
type Assumptions struct {
	FiscalYear int     // the year the request is for: October of the year before to September
	Days       int     // days in the fiscal year
	TargetRate float64 // inspections per 1,000 exits to aim for, 0 for the minimum only
	HourlyRate float64 // loaded cost of an officer hour, USD
	// DefaultMinutes is the officer-minutes an inspection takes where
	// nothing was measured anywhere.
	DefaultMinutes float64
	BlockHours     float64 // the shortest outbound posting of a team
	ShiftHours     float64 // an officer's shift, to state hours as shifts
	// Equipment says what the equipment lines rest on: the standard and
	// catalogue used, or why there are none.
	Equipment string
}

// Defaults returns the assumptions of a request for year where nothing
// else is said: the policy minimum only, the agency's loaded hourly rate,
// 40 officer-minutes where nothing was measured, 2-hour blocks, 8-hour
// shifts.
func Defaults(year int) Assumptions {
	return Assumptions{FiscalYear: year, HourlyRate: outbound.DefaultHourlyRate, DefaultMinutes: 40, BlockHours: 2, ShiftHours: 8}
}

// Validate reports the first assumption out of range, naming it.
func (a Assumptions) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x < 1e9 }
	switch {
	case a.FiscalYear < 2000 || a.FiscalYear > 2100:
		return outbound.Errorf(outbound.EINVALID, "fiscal_year", "the fiscal year must be a year such as 2027")
	case !finite(a.TargetRate) || a.TargetRate < 0:
		return outbound.Errorf(outbound.EINVALID, "target_rate", "the target rate must be a number of inspections per 1,000 exits, 0 or more")
	case !finite(a.HourlyRate) || a.HourlyRate < 0:
		return outbound.Errorf(outbound.EINVALID, "hourly_rate", "the hourly rate must be a number of dollars, 0 or more")
	case !finite(a.BlockHours) || a.BlockHours < 0 || a.BlockHours > 24:
		return outbound.Errorf(outbound.EINVALID, "block_hours", "the posting block must be 0 to 24 hours")
	case !finite(a.DefaultMinutes) || a.DefaultMinutes <= 0:
		return outbound.Errorf(outbound.EINVALID, "default_minutes", "the default officer-minutes must be more than 0")
	case !finite(a.ShiftHours) || a.ShiftHours <= 0 || a.ShiftHours > 24:
		return outbound.Errorf(outbound.EINVALID, "shift_hours", "the shift must be more than 0 and at most 24 hours")
	}
	return nil
}

// Practice is one way a crossing inspects: a modality and a set of
// techniques, how often it was used in the year before, how long it took
// and with how many officers, and how many the policy requires.
type Practice struct {
	Modality   string  `json:"modality"`
	Techniques string  `json:"techniques"` // joined with "+", sorted
	Count      int64   `json:"inspections"`
	Minutes    float64 `json:"minutes_each"`  // mean duration, start to end
	Officers   float64 `json:"officers_each"` // mean officers named
	Required   int     `json:"officers_required"`
}

// Staffed is the officers a practice is planned with: as many as were
// used, and no fewer than the policy requires.
func (p Practice) Staffed() float64 { return max(p.Officers, float64(p.Required)) }

// Site is one crossing's figures.
type Site struct {
	Crossing    string
	Border      string
	FieldOffice string
	Minimum     int     // inspections the policy's windows require in the fiscal year
	Windows     int     // the windows they fall in (days, weeks, months)
	ExitsPerDay float64 // the year before
	// Practices is the mix the crossing is planned with: its own, or the
	// nation's when it measured none (MixBasis says which).
	Practices   []Practice
	MixBasis    string  // "crossing", "national" or "default"
	HoursWorked float64 // outbound officer hours recorded the year before
	// Equipment is what closing the crossing's gaps costs the first year
	// (capital and a year of maintenance), from the gap costs.
	Equipment float64
}

// Inspections is how many inspections the site's mix was measured on.
func (s Site) Inspections() int64 {
	var n int64
	for _, p := range s.Practices {
		n += p.Count
	}
	return n
}

// Line is one crossing's request, with the figures behind it.
type Line struct {
	Site
	Target         float64 // inspections the target rate asks for
	Needed         float64 // the larger of Minimum and Target, rounded up
	MinutesEach    float64 // officer-minutes an inspection of the mix takes
	Team           int     // officers in a posted block: the mix's mean, rounded up
	WorkHours      float64 // Needed x MinutesEach / 60
	FloorHours     float64 // Windows x BlockHours x Team
	HoursNeeded    float64 // the larger of WorkHours and FloorHours
	ShortfallHours float64 // HoursNeeded - HoursWorked, if positive
	Shifts         float64 // ShortfallHours / ShiftHours
	StaffingCost   float64 // ShortfallHours x the hourly rate
	Total          float64 // StaffingCost + Equipment
}

// Request computes every crossing's line, the largest total first.
func Request(a Assumptions, sites []Site) []Line {
	out := make([]Line, 0, len(sites))
	for _, s := range sites {
		l := Line{Site: s, MinutesEach: a.DefaultMinutes, Team: 1}
		l.Target = a.TargetRate / 1000 * s.ExitsPerDay * float64(a.Days)
		l.Needed = math.Ceil(max(float64(s.Minimum), l.Target))
		if n := float64(s.Inspections()); n > 0 {
			var mins, officers float64
			for _, p := range s.Practices {
				share := float64(p.Count) / n
				mins += share * p.Minutes * p.Staffed()
				officers += share * p.Staffed()
			}
			l.MinutesEach, l.Team = mins, max(1, int(math.Ceil(officers-1e-9)))
		}
		l.WorkHours = l.Needed * l.MinutesEach / 60
		l.FloorHours = float64(s.Windows) * a.BlockHours * float64(l.Team)
		l.HoursNeeded = max(l.WorkHours, l.FloorHours)
		l.ShortfallHours = max(0, l.HoursNeeded-s.HoursWorked)
		if a.ShiftHours > 0 {
			l.Shifts = l.ShortfallHours / a.ShiftHours
		}
		l.StaffingCost = l.ShortfallHours * a.HourlyRate
		l.Total = l.StaffingCost + s.Equipment
		out = append(out, l)
	}
	slices.SortStableFunc(out, func(x, y Line) int {
		return cmp.Or(cmp.Compare(y.Total, x.Total), cmp.Compare(x.Crossing, y.Crossing))
	})
	return out
}

// Sum is a total over lines: of a field office or the nation.
type Sum struct {
	Name                                   string
	Shortfall, Shifts, Staffing, Equipment float64
	Total                                  float64
}

func (s *Sum) add(l Line) {
	s.Shortfall += l.ShortfallHours
	s.Shifts += l.Shifts
	s.Staffing += l.StaffingCost
	s.Equipment += l.Equipment
	s.Total += l.Total
}

// Totals sums the lines by field office, in name order, and for the nation.
func Totals(lines []Line) ([]Sum, Sum) {
	nation := Sum{Name: "nation"}
	var offices []Sum
	for _, l := range lines {
		i := slices.IndexFunc(offices, func(s Sum) bool { return s.Name == l.FieldOffice })
		if i < 0 {
			offices, i = append(offices, Sum{Name: l.FieldOffice}), len(offices)
		}
		offices[i].add(l)
		nation.add(l)
	}
	slices.SortFunc(offices, func(a, b Sum) int { return cmp.Compare(a.Name, b.Name) })
	return offices, nation
}

// Report lays the request out as a report, for the table, CSV, JSON,
// XLSX and PDF writers; the filters state the assumptions.
func Report(a Assumptions, from, to outbound.Date, lines []Line) outbound.Report {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	rep := outbound.Report{Report: "budget", From: from, To: to, Rows: []outbound.Row{}, Filters: map[string]string{
		"fiscal_year": strconv.Itoa(a.FiscalYear), "target_rate": f(a.TargetRate), "hourly_rate": f(a.HourlyRate),
		"default_minutes": f(a.DefaultMinutes), "block_hours": f(a.BlockHours), "shift_hours": f(a.ShiftHours),
		"basis": "the fiscal year before", "equipment": a.Equipment}}
	for _, l := range lines {
		rep.Rows = append(rep.Rows, outbound.Row{{Key: "crossing", Value: l.Crossing}, {Key: "border", Value: l.Border},
			{Key: "field_office", Value: l.FieldOffice}, {Key: "minimum_inspections", Value: l.Minimum}, {Key: "windows", Value: l.Windows},
			{Key: "exits_per_day", Value: l.ExitsPerDay}, {Key: "target_inspections", Value: l.Target},
			{Key: "inspections_needed", Value: l.Needed}, {Key: "mix_basis", Value: l.MixBasis}, {Key: "officer_minutes_each", Value: l.MinutesEach},
			{Key: "team", Value: l.Team}, {Key: "work_hours", Value: l.WorkHours}, {Key: "posting_hours", Value: l.FloorHours},
			{Key: "officer_hours_needed", Value: l.HoursNeeded}, {Key: "hours_worked_before", Value: l.HoursWorked},
			{Key: "shortfall_hours", Value: l.ShortfallHours}, {Key: "shortfall_shifts", Value: l.Shifts},
			{Key: "staffing_usd", Value: l.StaffingCost}, {Key: "equipment_usd", Value: l.Equipment}, {Key: "total_usd", Value: l.Total}})
	}
	_, n := Totals(lines)
	rep.Totals = outbound.Row{{Key: "crossings", Value: len(lines)}, {Key: "shortfall_hours", Value: n.Shortfall},
		{Key: "shortfall_shifts", Value: n.Shifts}, {Key: "staffing_usd", Value: n.Staffing}, {Key: "equipment_usd", Value: n.Equipment},
		{Key: "total_usd", Value: n.Total}}
	return rep
}
