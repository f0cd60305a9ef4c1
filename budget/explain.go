package budget

import (
	"fmt"
	"io"
)

// Explain writes the assumptions and every line's arithmetic, then the
// totals by field office and for the nation.
func Explain(out io.Writer, a Assumptions, lines []Line) error {
	w := &errWriter{w: out}
	fmt.Fprintf(w, "Budget request for fiscal year %d (%d days).\n", a.FiscalYear, a.Days)
	fmt.Fprintf(w, "Assumptions: target %g inspections per 1,000 exits (0: the policy minimum only); officer hour %.2f USD loaded; "+
		"officers posted in blocks of at least %g hours, one per window of the minimum; shifts of %g hours; "+
		"the fiscal year before as the basis (exits, practices and their measured durations, hours worked); "+
		"%g officer-minutes an inspection where nothing was measured.\n", a.TargetRate, a.HourlyRate, a.BlockHours, a.ShiftHours, a.DefaultMinutes)
	if a.Equipment != "" {
		fmt.Fprintf(w, "Equipment: %s.\n", a.Equipment)
	}
	for _, l := range lines {
		fmt.Fprintf(w, "\n%s (%s, %s)\n", l.Crossing, l.Border, l.FieldOffice)
		fmt.Fprintf(w, "  inspections: max(%d minimum in %d windows, %g/1000 x %.1f exits x %d days = %.1f target) = %.0f\n",
			l.Minimum, l.Windows, a.TargetRate, l.ExitsPerDay, a.Days, l.Target, l.Needed)
		if n := l.Inspections(); n > 0 {
			fmt.Fprintf(w, "  mix (measured %s, %d inspections):\n", map[string]string{"crossing": "at the crossing", "national": "nationally"}[l.MixBasis], n)
			for _, p := range l.Practices {
				fmt.Fprintf(w, "    %5.1f%% %s %s: %.1f min x %.2f officers (%.2f used, %d required) = %.1f officer-minutes\n",
					100*float64(p.Count)/float64(n), p.Modality, p.Techniques, p.Minutes, p.Staffed(), p.Officers, p.Required, p.Minutes*p.Staffed())
			}
			fmt.Fprintf(w, "    = %.1f officer-minutes an inspection; a team of %d\n", l.MinutesEach, l.Team)
		} else {
			fmt.Fprintf(w, "  mix: nothing measured; %.1f officer-minutes an inspection by default; a team of %d\n", l.MinutesEach, l.Team)
		}
		fmt.Fprintf(w, "  hours: max(work %.0f x %.1f / 60 = %.1f, posting %d windows x %g h x %d officers = %.1f) = %.1f\n",
			l.Needed, l.MinutesEach, l.WorkHours, l.Windows, a.BlockHours, l.Team, l.FloorHours, l.HoursNeeded)
		fmt.Fprintf(w, "  shortfall: max(0, %.1f needed - %.1f worked) = %.1f hours (%.1f shifts) x %.2f = %.2f staffing\n",
			l.HoursNeeded, l.HoursWorked, l.ShortfallHours, l.Shifts, a.HourlyRate, l.StaffingCost)
		fmt.Fprintf(w, "  total: %.2f staffing + %.2f equipment = %.2f\n", l.StaffingCost, l.Equipment, l.Total)
	}
	offices, nation := Totals(lines)
	fmt.Fprintln(w)
	for _, s := range offices {
		writeSum(w, "field office "+s.Name, s)
	}
	writeSum(w, "nation", nation)
	return w.err
}

// errWriter keeps the first write error, so that a long run of prints is
// checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func writeSum(w io.Writer, label string, s Sum) {
	fmt.Fprintf(w, "%s: shortfall %.1f hours (%.1f shifts), staffing %.2f, equipment %.2f, total %.2f\n",
		label, s.Shortfall, s.Shifts, s.Staffing, s.Equipment, s.Total)
}
