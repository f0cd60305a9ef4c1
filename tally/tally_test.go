package tally_test

import (
	"encoding/json"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/tally"
)

// The crossings of every test: two on the southwest border with sums,
// one on the northern border with inspections but no seizures or officer
// time, and one with nothing at all.
var (
	laredo  = outbound.Crossing{Code: "2304", PortCode: "2304", Border: outbound.Southwest, FieldOffice: "Laredo", TimeZone: "America/Chicago"}
	elPaso  = outbound.Crossing{Code: "2402", PortCode: "2402", Border: outbound.Southwest, FieldOffice: "El Paso", TimeZone: "America/Denver"}
	detroit = outbound.Crossing{Code: "3801", PortCode: "3801", Border: outbound.Northern, FieldOffice: "Detroit", TimeZone: "America/Detroit"}
	houlton = outbound.Crossing{Code: "0106", PortCode: "0106", Border: outbound.Northern, FieldOffice: "Boston", TimeZone: "America/New_York"}
	all     = []outbound.Crossing{laredo, elPaso, detroit, houlton}
)

func key(dim, value string) tally.Key { return tally.Key{Dim: dim, Value: value} }

// sums are a period's sums as sqldb reads them. Laredo: 40 inspections
// with 40 officer hours, five seizure entries worth $52,500 (two of
// currency, one of firearms, two of narcotics in two units). El Paso: no
// inspections. Detroit: 8 pedestrian inspections that found nothing and
// recorded no officer time. Houlton: missing.
var sums = map[string]map[tally.Key]tally.Sums{
	laredo.Code: {
		key(tally.All, ""):                        {Inspections: 40, Seizures: 5, ValueUSD: 52500, OfficerMinutes: 2400},
		key(tally.Modality, "personal_vehicle"):   {Inspections: 30, Seizures: 4, ValueUSD: 48000, OfficerMinutes: 1500},
		key(tally.Modality, "truck"):              {Inspections: 10, Seizures: 1, ValueUSD: 4500, OfficerMinutes: 900},
		key(tally.Technique, "interview"):         {Inspections: 40, Seizures: 5, ValueUSD: 52500, OfficerMinutes: 2400},
		key(tally.Technique, "physical"):          {Inspections: 12, Seizures: 4, ValueUSD: 50000, OfficerMinutes: 1200},
		key(tally.Technique, "nii_xray"):          {Inspections: 10, Seizures: 1, ValueUSD: 2500, OfficerMinutes: 900},
		key(tally.Trigger, "routine"):             {Inspections: 20, OfficerMinutes: 900},
		key(tally.Trigger, "random_selection"):    {Inspections: 10, Seizures: 1, ValueUSD: 2500, OfficerMinutes: 600},
		key(tally.Trigger, "pulse_surge"):         {Inspections: 10, Seizures: 4, ValueUSD: 50000, OfficerMinutes: 900},
		key(tally.Outcome, "no_finding"):          {Inspections: 37, OfficerMinutes: 2100},
		key(tally.Outcome, "seizure"):             {Inspections: 3, Seizures: 5, ValueUSD: 52500, OfficerMinutes: 300},
		key(tally.Category, "currency"):           {Seizures: 2, ValueUSD: 50000},
		key(tally.Category, "firearms"):           {Seizures: 1, ValueUSD: 2500},
		key(tally.Category, "narcotics"):          {Seizures: 2},
		key(tally.CategoryUnit, "currency|USD"):   {Seizures: 2, Quantity: 50000},
		key(tally.CategoryUnit, "firearms|each"):  {Seizures: 1, Quantity: 3},
		key(tally.CategoryUnit, "narcotics|kg"):   {Seizures: 1, Quantity: 12.5},
		key(tally.CategoryUnit, "narcotics|each"): {Seizures: 1, Quantity: 2},
	},
	elPaso.Code: {},
	detroit.Code: {
		key(tally.All, ""):                 {Inspections: 8},
		key(tally.Modality, "pedestrian"):  {Inspections: 8},
		key(tally.Technique, "visual"):     {Inspections: 8},
		key(tally.Trigger, "peak_traffic"): {Inspections: 8},
		key(tally.Outcome, "no_finding"):   {Inspections: 8},
	},
}

// result is one case of a report: what a golden file holds.
type result struct {
	Case   string         `json:"case"`
	Rows   []outbound.Row `json:"rows"`
	Totals outbound.Row   `json:"totals"`
}

func mustGolden(t *testing.T, name string, results ...result) {
	t.Helper()
	b, err := json.MarshalIndent(results, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, name, append(b, '\n'), true)
}

// row finds a crossing's row.
func row(t *testing.T, rows []outbound.Row, code string) outbound.Row {
	t.Helper()
	for _, r := range rows {
		if r.Get(outbound.CrossingKey) == code {
			return r
		}
	}
	t.Fatalf("no row for %s", code)
	return nil
}

// want checks figures computed by hand. A rate with a zero denominator
// is nil: null in JSON, blank in CSV.
func want(t *testing.T, what string, r outbound.Row, figures map[outbound.Metric]any) {
	t.Helper()
	for m, v := range figures {
		if got := r.Get(m); got != v {
			t.Errorf("%s %s = %#v, want %#v", what, m, got, v)
		}
	}
}

func sub(r outbound.Row, path ...outbound.Metric) outbound.Row {
	for _, m := range path {
		r, _ = r.Get(m).(outbound.Row)
	}
	return r
}

func TestActivity(t *testing.T) {
	rows, totals := tally.Activity(all, sums)
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.Inspections: int64(40), outbound.PulseSurgeShare: 0.25})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.Inspections: int64(0), outbound.PulseSurgeShare: nil})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.Inspections: int64(48), outbound.PulseSurgeShare: 10.0 / 48})
	want(t, "laredo by technique", sub(row(t, rows, laredo.Code), outbound.ByTechnique), map[outbound.Metric]any{"interview": int64(40), "physical": int64(12), "k9": int64(0)})
	want(t, "totals by modality", sub(totals, outbound.ByModality), map[outbound.Metric]any{"personal_vehicle": int64(30), "truck": int64(10), "pedestrian": int64(8)})
	none, noTotals := tally.Activity(nil, nil)
	want(t, "no crossings", noTotals, map[outbound.Metric]any{outbound.Crossings: 0, outbound.Inspections: int64(0), outbound.PulseSurgeShare: nil})
	mustGolden(t, "activity.json", result{"four crossings", rows, totals}, result{"no crossings", none, noTotals})
}

func TestSeizures(t *testing.T) {
	rows, totals := tally.Seizures(all, sums)
	l := row(t, rows, laredo.Code)
	want(t, "laredo", l, map[outbound.Metric]any{outbound.Seizures: int64(5), outbound.ValueUSD: 52500.0, outbound.Inspections: int64(40)})
	want(t, "laredo currency", sub(l, outbound.ByCategory, "currency"), map[outbound.Metric]any{outbound.Count: int64(2), outbound.Quantity: "50000 USD", outbound.ValueUSD: 50000.0})
	// Units in order, each summed on its own.
	want(t, "laredo narcotics", sub(l, outbound.ByCategory, "narcotics"), map[outbound.Metric]any{outbound.Count: int64(2), outbound.Quantity: "2 each; 12.5 kg", outbound.ValueUSD: 0.0})
	want(t, "detroit explosives", sub(row(t, rows, detroit.Code), outbound.ByCategory, "explosives"), map[outbound.Metric]any{outbound.Count: int64(0), outbound.Quantity: ""})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.Seizures: int64(5), outbound.ValueUSD: 52500.0})
	want(t, "totals firearms", sub(totals, outbound.ByCategory, "firearms"), map[outbound.Metric]any{outbound.Count: int64(1), outbound.Quantity: "3 each", outbound.ValueUSD: 2500.0})
	none, noTotals := tally.Seizures(nil, nil)
	mustGolden(t, "seizures.json", result{"four crossings", rows, totals}, result{"no crossings", none, noTotals})
}

func TestYield(t *testing.T) {
	rows, totals := tally.Yield(all, sums)
	// 5 seizures in 40 inspections; $52,500 in 2,400 officer-minutes.
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.OfficerHours: 40.0,
		outbound.SeizuresPer100Inspections: 12.5, outbound.ValuePerOfficerHour: 1312.5})
	want(t, "laredo pulse and surge", sub(row(t, rows, laredo.Code), outbound.ByTrigger, "pulse_surge"), map[outbound.Metric]any{
		outbound.Inspections: int64(10), outbound.Seizures: int64(4), outbound.SeizuresPer100Inspections: 40.0})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.Inspections: int64(0),
		outbound.SeizuresPer100Inspections: nil, outbound.ValuePerOfficerHour: nil})
	// Inspections, but no officer time recorded: no value per hour.
	want(t, "detroit", row(t, rows, detroit.Code), map[outbound.Metric]any{outbound.SeizuresPer100Inspections: 0.0, outbound.ValuePerOfficerHour: nil})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.Inspections: int64(48), outbound.OfficerHours: 40.0,
		outbound.SeizuresPer100Inspections: 500.0 / 48, outbound.ValuePerOfficerHour: 1312.5})
	none, noTotals := tally.Yield(nil, nil)
	mustGolden(t, "yield.json", result{"four crossings", rows, totals}, result{"no crossings", none, noTotals})
}

func TestStaffing(t *testing.T) {
	hours := map[string]*tally.Hours{laredo.Code: {}, elPaso.Code: {}, detroit.Code: {}}
	hours[laredo.Code].Add("", 60, 60, 0)
	hours[laredo.Code].Add("inbound_traffic", 30, 15, 15)
	hours[laredo.Code].Add("training", 10, 5, 5)
	hours[elPaso.Code].Add("", 0, 10, 0) // worked, none planned
	hours[detroit.Code].Add("staff_shortage", 16, 8, 8)
	rates := map[string]float64{"southwest": 102.5}
	rows, totals := tally.Staffing(all, hours, sums, 95, rates)
	// Laredo: 100 planned, 80 worked at $102.50 = $8,200; 20 diverted.
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.HoursPlanned: 100.0, outbound.HoursWorked: 80.0,
		outbound.HoursDiverted: 20.0, outbound.DiversionRate: 0.2, outbound.CostUSD: 8200.0,
		outbound.CostPerInspection: 205.0, outbound.CostPerSeizure: 1640.0})
	want(t, "laredo reasons", sub(row(t, rows, laredo.Code), outbound.DivertedByReason), map[outbound.Metric]any{"inbound_traffic": 15.0, "training": 5.0, "other": 0.0})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.CostUSD: 1025.0, outbound.DiversionRate: nil,
		outbound.CostPerInspection: nil, outbound.CostPerSeizure: nil})
	// Northern: the hourly rate for everywhere else, $95.
	want(t, "detroit", row(t, rows, detroit.Code), map[outbound.Metric]any{outbound.CostUSD: 760.0, outbound.CostPerInspection: 95.0, outbound.DiversionRate: 0.5})
	want(t, "houlton", row(t, rows, houlton.Code), map[outbound.Metric]any{outbound.HoursWorked: 0.0, outbound.CostUSD: 0.0, outbound.DiversionRate: nil})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.HoursPlanned: 116.0, outbound.HoursWorked: 98.0,
		outbound.HoursDiverted: 28.0, outbound.CostUSD: 9985.0, outbound.Inspections: int64(48), outbound.Seizures: int64(5),
		outbound.CostPerSeizure: 1997.0})
	want(t, "totals reasons", sub(totals, outbound.DivertedByReason), map[outbound.Metric]any{"inbound_traffic": 15.0, "staff_shortage": 8.0, "training": 5.0})
	none, noTotals := tally.Staffing(nil, nil, nil, 95, nil)
	mustGolden(t, "staffing.json", result{"four crossings", rows, totals}, result{"no crossings", none, noTotals})
}

func TestExits(t *testing.T) {
	counts := map[string]*tally.ExitCounts{laredo.Code: {Counted: 30000, Estimated: 10000}, elPaso.Code: {Estimated: 5000}}
	// Detroit's port: two months of BTS data, 6,088 crossings, about 100 a
	// day (a month of data is 30.44 days), so 1,000 over ten days.
	from, to := day(t, "2026-03-01"), day(t, "2026-03-10")
	first, last := tally.BaselineMonths(to)
	if first != day(t, "2025-04-01") || last != day(t, "2026-03-01") {
		t.Errorf("baseline months %s..%s, want the twelve months 2025-04-01..2026-03-01", first, last)
	}
	baseline := tally.Baseline(map[string]tally.Volume{detroit.PortCode: {Total: 6088, Months: 2}}, from, to)
	rows, totals := tally.Exits(all, sums, counts, baseline)
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.Exits: int64(40000), outbound.ExitsSource: "counted and estimated",
		outbound.InspectionsPer1000Exits: 1.0})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.Exits: int64(5000), outbound.ExitsSource: "estimated",
		outbound.InspectionsPer1000Exits: 0.0})
	want(t, "detroit", row(t, rows, detroit.Code), map[outbound.Metric]any{outbound.Exits: int64(1000), outbound.ExitsSource: "estimated from BTS inbound",
		outbound.InspectionsPer1000Exits: 8.0})
	want(t, "houlton", row(t, rows, houlton.Code), map[outbound.Metric]any{outbound.Exits: int64(0), outbound.ExitsSource: "none",
		outbound.InspectionsPer1000Exits: nil})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.Inspections: int64(48), outbound.Exits: int64(46000),
		outbound.InspectionsPer1000Exits: 48000.0 / 46000})
	none, noTotals := tally.Exits(nil, nil, nil, nil)
	mustGolden(t, "exits.json", result{"four crossings", rows, totals}, result{"no crossings", none, noTotals})
}

func day(t *testing.T, s string) outbound.Date {
	t.Helper()
	d, err := outbound.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
