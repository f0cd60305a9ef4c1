package tally_test

import (
	"encoding/json"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/tally"
)

func TestTrend(t *testing.T) {
	type sum struct {
		day                   string
		inspections, seizures int64
		value                 float64
	}
	// Days around the change to daylight saving (Sunday 2026-03-08) and
	// the turn of the year; a month's sum arrives as its first day, as
	// sqldb reads whole months from the monthly rollups.
	days := []sum{{"2025-12-29", 2, 0, 0}, {"2026-01-01", 3, 1, 500}, {"2026-01-04", 1, 0, 0}, {"2026-03-07", 4, 0, 0},
		{"2026-03-08", 5, 2, 1000.5}, {"2026-03-09", 6, 0, 0}}
	type trendCase struct {
		Case   string                `json:"case"`
		Points []outbound.TrendPoint `json:"points"`
	}
	var cases []trendCase
	run := func(per, from, to string, sums []sum) []outbound.TrendPoint {
		tr := tally.NewTrend(per)
		for _, s := range sums {
			tr.Add(day(t, s.day), s.inspections, s.seizures, s.value)
		}
		points := tr.Points(day(t, from), day(t, to))
		cases = append(cases, trendCase{per + " " + from + " to " + to, points})
		return points
	}
	// Weeks start on Monday: December 29 to January 4 is one week across
	// the year; March 2 to 8 holds the day of 23 hours; the week of March
	// 16 has nothing and is there, zero.
	weeks := run(outbound.PerWeek, "2025-12-31", "2026-03-16", days)
	if len(weeks) != 12 || weeks[0].Start != day(t, "2025-12-29") || weeks[0].Inspections != 6 || weeks[0].ValueUSD != 500 {
		t.Errorf("first week %+v of %d, want 2025-12-29 with 6 inspections, $500, of 12", weeks[0], len(weeks))
	}
	if w := weeks[9]; w.Start != day(t, "2026-03-02") || w.Inspections != 9 || w.Seizures != 2 || w.ValueUSD != 1000.5 {
		t.Errorf("week of March 2: %+v, want 9 inspections, 2 seizures, $1,000.50", w)
	}
	if w := weeks[11]; w.Start != day(t, "2026-03-16") || w.Inspections != 0 {
		t.Errorf("last week %+v, want March 16, empty", w)
	}
	daily := run(outbound.PerDay, "2026-03-06", "2026-03-10", days)
	if len(daily) != 5 || daily[2].Start != day(t, "2026-03-08") || daily[2].Inspections != 5 || daily[0].Inspections != 0 {
		t.Errorf("days %+v, want March 6 to 10 with 5 inspections on the 8th", daily)
	}
	// Months: January and February whole (read as months), the days of
	// December and March the period cuts.
	months := run(outbound.PerMonth, "2025-12-15", "2026-03-09", append(days, sum{"2026-01-01", 100, 7, 7000}, sum{"2026-02-01", 50, 0, 0}))
	if len(months) != 4 || months[0].Start != day(t, "2025-12-01") || months[1].Inspections != 104 || months[2].Inspections != 50 || months[3].Inspections != 15 {
		t.Errorf("months %+v, want December to March: 2, 104, 50, 15 inspections", months)
	}
	b, err := json.MarshalIndent(cases, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "trend.json", append(b, '\n'), true)
}
