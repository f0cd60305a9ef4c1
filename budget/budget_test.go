package budget_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/internal/golden"
)

// Four crossings: one whose target rate asks more than its minimum, one
// whose minimum decides, one with no inspections measured (the default
// minutes), one already working more hours than it needs. The golden file
// is the arithmetic, line by line, with field-office and national totals.
func TestRequestArithmetic(t *testing.T) {
	a := budget.Assumptions{FiscalYear: 2027, Days: 365, TargetRate: 0.5, HourlyRate: 95, DefaultMinutes: 40}
	sites := []budget.Site{
		{Crossing: "2304", Border: "southwest", FieldOffice: "Laredo", Minimum: 365, ExitsPerDay: 48000, Inspections: 6000, OfficerMins: 230400,
			HoursWorked: 4000, Equipment: 2673500},
		{Crossing: "2507", Border: "southwest", FieldOffice: "El Paso", Minimum: 365, ExitsPerDay: 300, Inspections: 200, OfficerMins: 6000, HoursWorked: 50},
		{Crossing: "3004", Border: "northern", FieldOffice: "Seattle", Minimum: 52, ExitsPerDay: 100, HoursWorked: 0, Equipment: 156900},
		{Crossing: "3401", Border: "northern", FieldOffice: "Seattle", Minimum: 52, ExitsPerDay: 20, Inspections: 100, OfficerMins: 3000, HoursWorked: 900},
	}
	lines := budget.Request(a, sites)
	// 2304: max(365, 0.5/1000 x 48000 x 365 = 8760) = 8760 x 38.4 / 60 = 5606.4 hours.
	if l := lines[0]; l.Crossing != "2304" || l.Needed != 8760 || math.Abs(l.HoursNeeded-5606.4) > 1e-9 || math.Abs(l.ShortfallHours-1606.4) > 1e-9 {
		t.Fatalf("2304: %+v", l)
	}
	var out bytes.Buffer
	budget.Explain(&out, a, lines)
	golden.Check(t, "request.golden", out.Bytes(), true)
}
