package policy_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/policy"
)

var crossings = []policy.Crossing{
	{Code: "2304", Border: "southwest", FieldOffice: "Laredo", TimeZone: "America/Chicago"},     // daylight saving from 2026-03-08
	{Code: "2604", Border: "southwest", FieldOffice: "Tucson", TimeZone: "America/Phoenix"},     // no daylight saving
	{Code: "2406", Border: "southwest", FieldOffice: "El Paso", TimeZone: "America/Denver"},     // no inspections at all
	{Code: "3004", Border: "northern", FieldOffice: "Seattle", TimeZone: "America/Los_Angeles"}, // weekly
}

func at(crossing, utc string) outbound.Inspection {
	t, err := time.Parse(time.RFC3339, utc)
	if err != nil {
		panic(err)
	}
	return outbound.Inspection{ID: uuid.New(), Crossing: crossing, StartedAt: t, EndedAt: t.Add(10 * time.Minute),
		Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.Routine,
		Officers: []string{"B1", "B2"}, Outcome: outbound.NoFinding}
}

// The period is two weeks, Monday 2 to Sunday 15 March 2026; daylight
// saving starts on Sunday 8 March in Chicago and Los Angeles, not in Phoenix.
func TestFrequencyComplianceAcrossTimeZones(t *testing.T) {
	docs := parseAll(t, "testdata/policies/frequency.yaml")
	from, _ := outbound.ParseDate("2026-03-02")
	to, _ := outbound.ParseDate("2026-03-15")
	inspections := map[string][]outbound.Inspection{
		"2304": {
			at("2304", "2026-03-02T15:00:00Z"), at("2304", "2026-03-03T15:00:00Z"), at("2304", "2026-03-04T15:00:00Z"),
			at("2304", "2026-03-05T15:00:00Z"), at("2304", "2026-03-06T15:00:00Z"), at("2304", "2026-03-07T15:00:00Z"),
			// 01:30 CST, before the change: Sunday 8 March.
			at("2304", "2026-03-08T07:30:00Z"),
			// 23:30 CDT, after it: still Sunday 8 March in Laredo, though Monday 9 in UTC.
			at("2304", "2026-03-09T04:30:00Z"),
			at("2304", "2026-03-10T15:00:00Z"), at("2304", "2026-03-11T15:00:00Z"), at("2304", "2026-03-12T15:00:00Z"),
			at("2304", "2026-03-13T15:00:00Z"), at("2304", "2026-03-14T15:00:00Z"), at("2304", "2026-03-15T15:00:00Z"),
		},
		"2604": {
			// 23:30 MST on Sunday 8 March in Nogales: Monday 9 in UTC and in Chicago.
			at("2604", "2026-03-09T06:30:00Z"),
			at("2604", "2026-03-10T18:00:00Z"),
		},
		"3004": {at("3004", "2026-03-04T20:00:00Z")},
	}
	var list []policy.Compliance
	for _, c := range crossings {
		list = append(list, policy.FrequencyCompliance(docs, c, from, to, inspections[c.Code]))
	}
	out, _ := json.MarshalIndent(map[string]any{"crossings": list, "rollup": policy.Rollup(list)}, "", "  ")
	golden.Check(t, "compliance.golden.json", append(out, '\n'), true)

	byCode := map[string]policy.Compliance{}
	for _, c := range list {
		byCode[c.Crossing] = c
	}
	if c := byCode["2304"]; c.WindowsRequired != 14 || c.WindowsMet != 13 {
		t.Errorf("Laredo met %d of %d days; want 13 of 14 (Monday 9 had none, local time)", c.WindowsMet, c.WindowsRequired)
	}
	if c := byCode["2604"]; c.WindowsMet != 2 || c.Windows[6].Recorded != 1 {
		t.Errorf("Nogales: %+v; want Sunday 8 and Tuesday 10 met", c)
	}
	if c := byCode["2406"]; c.WindowsRequired != 14 || c.WindowsMet != 0 || *c.ComplianceRate != 0 {
		t.Errorf("a crossing with no inspections: %+v", c)
	}
	if c := byCode["3004"]; c.WindowsRequired != 2 || c.WindowsMet != 1 {
		t.Errorf("Blaine's weeks: %+v; want 1 of 2", c)
	}
}

func TestPartialWindowsDoNotCount(t *testing.T) {
	docs := parseAll(t, "testdata/policies/frequency.yaml")
	from, _ := outbound.ParseDate("2026-03-04") // a Wednesday
	to, _ := outbound.ParseDate("2026-03-17")   // a Tuesday
	c := policy.FrequencyCompliance(docs, crossings[3], from, to, nil)
	if c.WindowsRequired != 1 || c.Windows[0].Start.String() != "2026-03-09" {
		t.Fatalf("weeks inside 4-17 March: %+v; want only the week of Monday 9", c.Windows)
	}
}

func TestCheckInspectionAgainstThePolicyInForce(t *testing.T) {
	docs := parseAll(t, "testdata/policies/frequency.yaml")
	in := at("2304", "2026-03-10T15:00:00Z")
	in.Techniques = []outbound.Technique{outbound.Physical}
	in.Officers = []string{"B1", "B2"}
	got := policy.CheckInspection(docs, crossings[0], &in, nil)
	if len(got) != 1 || got[0].Rule != "laredo-sop-2026/laredo-physical" {
		t.Fatalf("two officers on a physical search at Laredo: %+v; want Laredo's three-officer rule broken", got)
	}
	// Before Laredo's procedure came into force, the national two sufficed.
	early := in
	early.StartedAt = time.Date(2026, 1, 20, 15, 0, 0, 0, time.UTC)
	if got := policy.CheckInspection(docs, crossings[0], &early, nil); len(got) != 0 {
		t.Fatalf("in January: %+v; want none", got)
	}
	truck := at("2304", "2026-03-10T15:00:00Z")
	truck.Modality = outbound.Truck
	if got := policy.CheckInspection(docs, crossings[0], &truck, nil); len(got) != 1 || got[0].Message != "technique nii_xray is required" {
		t.Fatalf("a truck without NII at Laredo: %+v", got)
	}
}

// A plan asks how many officers a practice needs: the most any rule in
// force requires, a local procedure's above the national one.
func TestMinOfficersForAPractice(t *testing.T) {
	docs := parseAll(t, "testdata/policies/frequency.yaml")
	march, jan := outbound.Date{Year: 2026, Month: 3, Day: 10}, outbound.Date{Year: 2026, Month: 1, Day: 20}
	physical := []outbound.Technique{outbound.Interview, outbound.Physical}
	for _, c := range []struct {
		crossing policy.Crossing
		day      outbound.Date
		tech     []outbound.Technique
		want     int
	}{
		{crossings[0], march, physical, 3},                                 // Laredo's procedure
		{crossings[0], jan, physical, 2},                                   // before it, the national rule
		{crossings[1], march, physical, 2},                                 // Tucson: the national rule
		{crossings[0], march, []outbound.Technique{outbound.Interview}, 0}, // no rule on interviews
	} {
		if got := policy.MinOfficers(docs, c.crossing, c.day, "personal_vehicle", c.tech); got != c.want {
			t.Errorf("%s on %s with %v: %d officers; want %d", c.crossing.Code, c.day, c.tech, got, c.want)
		}
	}
}

func TestTrainingOfTheOfficersNamed(t *testing.T) {
	docs := parseAll(t, "testdata/policies/national.yaml")
	in := at("3004", "2026-03-10T15:00:00Z")
	in.Modality = outbound.Rail
	trained := func(badge, course string, _ outbound.Date) (bool, bool) {
		return badge == "B1", course == "rail-outbound"
	}
	got := policy.CheckInspection(docs, crossings[3], &in, trained)
	if len(got) != 1 || got[0].Message != "officer B2 has not completed rail-outbound" {
		t.Fatalf("a rail inspection with an untrained officer: %+v", got)
	}
}

func TestFrequencyPerModalityAndShift(t *testing.T) {
	src := "kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
		"  - id: trucks-daily\n    scope: {border: southwest, modalities: [truck]}\n    min_inspections: {count: 1, per: day}\n" +
		"  - id: nights\n    scope: {border: southwest, hours: \"22:00-06:00\"}\n    min_inspections: {count: 1, per: day}\n"
	docs, err := policy.Parse("n.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	day, _ := outbound.ParseDate("2026-03-03")
	car := at("2304", "2026-03-03T15:00:00Z") // 09:00 in Laredo
	truck := at("2304", "2026-03-04T05:00:00Z")
	truck.Modality = outbound.Truck // 23:00 on the 3rd in Laredo: a truck, at night
	c := policy.FrequencyCompliance(docs, crossings[0], day, day, []outbound.Inspection{car, truck})
	for _, w := range c.Windows {
		if w.Recorded != 1 || !w.Met {
			t.Errorf("%s: %d recorded; want the night truck only", w.Rule, w.Recorded)
		}
	}
	c = policy.FrequencyCompliance(docs, crossings[0], day, day, []outbound.Inspection{car})
	if c.WindowsMet != 0 || c.WindowsRequired != 2 {
		t.Errorf("a car by day meets neither rule: %+v", c)
	}
}

func TestWeeksStartOnMonday(t *testing.T) {
	for day := time.Date(1999, 12, 20, 0, 0, 0, 0, time.UTC); day.Year() < 2031; day = day.AddDate(0, 0, 1) {
		start, end := policy.WindowOf("week", outbound.DateOf(day))
		want := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		if start != outbound.DateOf(want) || end != outbound.DateOf(want.AddDate(0, 0, 6)) {
			t.Fatalf("the week of %s: %s..%s; want %s", day.Format(time.DateOnly), start, end, want.Format(time.DateOnly))
		}
	}
}

func TestLaneRuleInForce(t *testing.T) {
	src := "kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
		"  - id: lanes\n    scope: {}\n    lane_selection: {rate: 0.05, min_random: 0.01}\n" +
		"  - id: sw-trucks\n    scope: {border: southwest, modalities: [truck]}\n    lane_selection: {rate: 0.1, min_random: 0.02}\n" +
		"---\nkind: local\nid: laredo\ncrossings: [\"2304\"]\neffective: 2026-02-01\nrules:\n" +
		"  - id: trucks\n    scope: {modalities: [truck]}\n    lane_selection: {rate: 0.08, min_random: 0.04}\n    reason: x-ray queue\n"
	docs, err := policy.Parse("lanes.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	laredo := policy.Crossing{Code: "2304", Border: "southwest", TimeZone: "America/Chicago"}
	for _, c := range []struct {
		day, modality, rule string
		rate, p0            float64
	}{
		{"2026-03-02", "truck", "laredo/trucks", 0.08, 0.04},      // the local procedure over the national rule
		{"2026-01-15", "truck", "n/sw-trucks", 0.1, 0.02},         // before the local one took effect: the highest national rate
		{"2026-03-02", "personal_vehicle", "n/lanes", 0.05, 0.01}, // no local rule for cars
	} {
		day, _ := outbound.ParseDate(c.day)
		sel, rule, ok := policy.LaneRule(docs, laredo, day, c.modality)
		if !ok || rule != c.rule || sel.Rate != c.rate || sel.Probability(0) != c.p0 || sel.Probability(1) != c.rate || sel.Probability(1000) != 1 {
			t.Errorf("%s %s: %+v %s %v; want %s at %v", c.day, c.modality, sel, rule, ok, c.rule, c.rate)
		}
	}
	bad, _ := policy.Parse("bad.yaml", strings.NewReader("kind: national\nid: b\neffective: 2026-01-01\nrules:\n"+
		"  - id: r\n    scope: {hours: \"08:00-10:00\"}\n    lane_selection: {rate: 0.05, min_random: 0.5}\n"))
	rep := policy.Check(bad, nil)
	if len(rep.Findings) != 2 {
		t.Fatalf("a min_random above the rate, scoped by hours: %v; want two findings", rep.Findings)
	}
}
