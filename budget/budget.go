// Package budget turns what each crossing must do under the policy, what
// it did, and what it lacks into a budget request for a fiscal year: the
// officer hours the minimum frequency and a target inspection rate need,
// against the hours worked the year before, and the equipment that closes
// its gaps. It is pure: the numbers come in, and every line keeps the
// figures it was computed from, so the arithmetic can be shown.
package budget

import (
	"fmt"
	"io"
	"math"
	"sort"
)

// Assumptions are the figures a request rests on; a request states them.
type Assumptions struct {
	FiscalYear int     // the year the request is for: October of the year before to September
	Days       int     // days in the fiscal year
	TargetRate float64 // inspections per 1,000 exits to aim for, 0 for the minimum only
	HourlyRate float64 // loaded cost of an officer hour, USD
	// DefaultMinutes is the officer-minutes an inspection takes where none
	// were measured (duration times officers).
	DefaultMinutes float64
}

// Site is one crossing's figures.
type Site struct {
	Crossing    string
	Border      string
	FieldOffice string
	Minimum     int     // inspections the policy's windows require in the fiscal year
	ExitsPerDay float64 // the year before
	Inspections int64   // inspections the year before
	OfficerMins float64 // officer-minutes they took (duration x officers)
	HoursWorked float64 // outbound officer hours recorded the year before
	// Equipment is what closing the crossing's gaps costs the first year
	// (capital and a year of maintenance), from the gap costs.
	Equipment float64
}

// Line is one crossing's request, with the figures behind it.
type Line struct {
	Site
	Target         float64 // inspections the target rate asks for
	Needed         float64 // the larger of Minimum and Target
	MinutesEach    float64 // officer-minutes an inspection takes: measured, or the default
	Measured       bool    // MinutesEach was measured at the crossing
	HoursNeeded    float64 // Needed x MinutesEach / 60
	ShortfallHours float64 // HoursNeeded - HoursWorked, if positive
	StaffingCost   float64 // ShortfallHours x the hourly rate
	Total          float64 // StaffingCost + Equipment
}

// Request computes every crossing's line, busiest shortfall first.
func Request(a Assumptions, sites []Site) []Line {
	out := make([]Line, 0, len(sites))
	for _, s := range sites {
		l := Line{Site: s, MinutesEach: a.DefaultMinutes}
		l.Target = a.TargetRate / 1000 * s.ExitsPerDay * float64(a.Days)
		l.Needed = math.Ceil(max(float64(s.Minimum), l.Target))
		if s.Inspections > 0 && s.OfficerMins > 0 {
			l.MinutesEach, l.Measured = s.OfficerMins/float64(s.Inspections), true
		}
		l.HoursNeeded = l.Needed * l.MinutesEach / 60
		l.ShortfallHours = max(0, l.HoursNeeded-s.HoursWorked)
		l.StaffingCost = l.ShortfallHours * a.HourlyRate
		l.Total = l.StaffingCost + s.Equipment
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Crossing < out[j].Crossing
	})
	return out
}

// Explain writes the assumptions and every line's arithmetic, then the
// totals by field office and for the nation.
func Explain(w io.Writer, a Assumptions, lines []Line) error {
	fmt.Fprintf(w, "Budget request for fiscal year %d (%d days). Assumptions: target %g inspections per 1,000 exits (0: the policy minimum only); officer hour %.2f USD loaded; %g officer-minutes an inspection where none were measured; last fiscal year's exits, inspections and hours as the basis.\n",
		a.FiscalYear, a.Days, a.TargetRate, a.HourlyRate, a.DefaultMinutes)
	type sum struct{ hours, staffing, equipment, total float64 }
	offices := map[string]*sum{}
	var nation sum
	for _, l := range lines {
		basis := "default"
		if l.Measured {
			basis = "measured"
		}
		fmt.Fprintf(w, "%s (%s, %s): max(%d minimum, %g/1000 x %.1f exits x %d days = %.1f target) = %.0f inspections x %.1f officer-minutes (%s) / 60 = %.1f hours; worked %.1f last year; shortfall %.1f hours x %.2f = %.2f; equipment %.2f; total %.2f\n",
			l.Crossing, l.Border, l.FieldOffice, l.Minimum, a.TargetRate, l.ExitsPerDay, a.Days, l.Target, l.Needed, l.MinutesEach, basis,
			l.HoursNeeded, l.HoursWorked, l.ShortfallHours, a.HourlyRate, l.StaffingCost, l.Equipment, l.Total)
		if offices[l.FieldOffice] == nil {
			offices[l.FieldOffice] = &sum{}
		}
		for _, s := range []*sum{offices[l.FieldOffice], &nation} {
			s.hours, s.staffing, s.equipment, s.total = s.hours+l.ShortfallHours, s.staffing+l.StaffingCost, s.equipment+l.Equipment, s.total+l.Total
		}
	}
	names := make([]string, 0, len(offices))
	for n := range offices {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := offices[n]
		fmt.Fprintf(w, "field office %s: shortfall %.1f hours, staffing %.2f, equipment %.2f, total %.2f\n", n, s.hours, s.staffing, s.equipment, s.total)
	}
	_, err := fmt.Fprintf(w, "nation: shortfall %.1f hours, staffing %.2f, equipment %.2f, total %.2f\n", nation.hours, nation.staffing, nation.equipment, nation.total)
	return err
}
