package budget_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/report"
)

func fixture() (budget.Assumptions, []budget.Site) {
	a := budget.Assumptions{FiscalYear: 2027, Days: 365, TargetRate: 0.5, HourlyRate: 95, DefaultMinutes: 40, BlockHours: 2, ShiftHours: 8}
	return a, []budget.Site{
		{Crossing: "2304", Border: "southwest", FieldOffice: "Laredo", Minimum: 365, Windows: 365, ExitsPerDay: 48000, MixBasis: "crossing",
			Practices: []budget.Practice{
				{Modality: "personal_vehicle", Techniques: "interview+visual", Count: 4200, Minutes: 10, Officers: 1.5, Required: 2},
				{Modality: "truck", Techniques: "nii_xray+physical", Count: 1800, Minutes: 30, Officers: 2.5, Required: 3},
			}, HoursWorked: 4000, Equipment: 2673500},
		{Crossing: "2507", Border: "southwest", FieldOffice: "El Paso", Minimum: 365, Windows: 365, ExitsPerDay: 300, MixBasis: "crossing",
			Practices:   []budget.Practice{{Modality: "pedestrian", Techniques: "interview", Count: 200, Minutes: 5, Officers: 1}},
			HoursWorked: 50},
		{Crossing: "3004", Border: "northern", FieldOffice: "Seattle", Minimum: 52, Windows: 52, ExitsPerDay: 100, MixBasis: "default", Equipment: 156900},
		{Crossing: "3401", Border: "northern", FieldOffice: "Seattle", Minimum: 52, Windows: 52, ExitsPerDay: 20, MixBasis: "national",
			Practices:   []budget.Practice{{Modality: "personal_vehicle", Techniques: "interview", Count: 100, Minutes: 6, Officers: 2}},
			HoursWorked: 900},
	}
}

// Four crossings: one whose target rate asks more than its minimum and
// whose policy asks more officers than it used; one whose posting floor
// (a block a day) outweighs its few short inspections; one with nothing
// measured (the default minutes); one on the national mix already working
// more than it needs. The golden file is the arithmetic, line by line,
// with field-office and national totals.
func TestRequestArithmetic(t *testing.T) {
	a, sites := fixture()
	lines := budget.Request(a, sites)
	near := func(x, want float64) bool { return math.Abs(x-want) < 1e-9 }
	// 2304: max(365, 0.5/1000 x 48000 x 365 = 8760) = 8760 inspections;
	// 0.7 x 10 min x 2 officers + 0.3 x 30 x 3 = 41 officer-minutes;
	// 8760 x 41 / 60 = 5986 hours, above 365 x 2 h x a team of 3.
	if l := lines[0]; l.Crossing != "2304" || l.Needed != 8760 || !near(l.MinutesEach, 41) || l.Team != 3 ||
		!near(l.HoursNeeded, 5986) || !near(l.ShortfallHours, 1986) || !near(l.Shifts, 248.25) {
		t.Fatalf("2304: %+v", l)
	}
	// 2507: 365 x 5 / 60 = 30.4 hours of work, but a 2-hour block a day
	// of one officer is 730.
	if l := lines[2]; l.Crossing != "2507" || !near(l.WorkHours, 365*5/60.0) || !near(l.HoursNeeded, 730) || !near(l.StaffingCost, 680*95) {
		t.Fatalf("2507: %+v", l)
	}
	var out bytes.Buffer
	if err := budget.Explain(&out, a, lines); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "request.golden", out.Bytes(), true)
}

// The funding line sits against the plan of each crossing's line, and a
// crossing funded outside the request still shows.
func TestFundingAgainstPlan(t *testing.T) {
	a, sites := fixture()
	lines := budget.Request(a, sites)
	totals := map[string]map[string]map[string]float64{
		"2304": {"staffing": {"allocation": 100000, "obligation": 90000, "expenditure": 50000}},
		"9999": {"training": {"allocation": 5000}},
	}
	got := budget.Funding(lines, []string{"staffing", "equipment", "training"}, totals)
	want := []budget.FundingRow{
		{Crossing: "2304", Category: "staffing", Plan: 188670, Allocated: 100000, Obligated: 90000, Spent: 50000, Gap: -88670},
		{Crossing: "2304", Category: "equipment", Plan: 2673500, Gap: -2673500},
		{Crossing: "3004", Category: "staffing", Plan: 9880, Gap: -9880},
		{Crossing: "3004", Category: "equipment", Plan: 156900, Gap: -156900},
		{Crossing: "2507", Category: "staffing", Plan: 64600, Gap: -64600},
		{Crossing: "9999", Category: "training", Allocated: 5000, Gap: 5000},
	}
	if d := cmp.Diff(want, got, cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-6 })); d != "" {
		t.Fatalf("funding rows (-want +got):\n%s", d)
	}
}

// Each assumption out of range is refused, naming it.
func TestAssumptionsOutOfRange(t *testing.T) {
	if err := budget.Defaults(2027).Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for field, change := range map[string]func(*budget.Assumptions){
		"fiscal_year":     func(a *budget.Assumptions) { a.FiscalYear = 27 },
		"target_rate":     func(a *budget.Assumptions) { a.TargetRate = math.NaN() },
		"hourly_rate":     func(a *budget.Assumptions) { a.HourlyRate = -1 },
		"block_hours":     func(a *budget.Assumptions) { a.BlockHours = 25 },
		"default_minutes": func(a *budget.Assumptions) { a.DefaultMinutes = 0 },
		"shift_hours":     func(a *budget.Assumptions) { a.ShiftHours = math.Inf(1) },
	} {
		a := budget.Defaults(2027)
		change(&a)
		if got := outbound.ErrorField(a.Validate()); got != field {
			t.Errorf("%s out of range: error names %q", field, got)
		}
	}
}

// The budget report's table shows columns the report has.
func TestBudgetTableColumnsAreTheReportsOwn(t *testing.T) {
	a, sites := fixture()
	rep := budget.Report(a, outbound.Date{Year: 2026, Month: 10, Day: 1}, outbound.Date{Year: 2027, Month: 9, Day: 30}, budget.Request(a, sites))
	cols := report.Columns(rep)
	for _, key := range report.TableKeys("budget") {
		if !slices.Contains(cols, key) {
			t.Errorf("the budget table shows %q, which is none of its columns %v", key, cols)
		}
	}
}
