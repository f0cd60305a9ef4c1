package tally_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/tally"
)

// visit is n inspections of one modality on a crossing's local day, in a
// shift.
type visit struct {
	day      outbound.Date
	modality outbound.Modality
	shift    outbound.Shift
	n        int64
}

// rollups sums visits as the rollup tables do: per month, dimension and
// value, the inspections and the mask of days with any; and per local day
// and modality ("" for all).
func rollups(visits map[string][]visit) (map[string]map[tally.MonthKey]tally.MonthSums, map[string]map[outbound.Date]map[string]int64) {
	months := map[string]map[tally.MonthKey]tally.MonthSums{}
	daily := map[string]map[outbound.Date]map[string]int64{}
	for code, vs := range visits {
		months[code], daily[code] = map[tally.MonthKey]tally.MonthSums{}, map[outbound.Date]map[string]int64{}
		for _, v := range vs {
			for _, k := range []tally.Key{{Dim: tally.All}, {Dim: tally.Modality, Value: string(v.modality)}, {Dim: tally.Shift, Value: string(v.shift)}} {
				mk := tally.MonthKey{Year: v.day.Year, Month: int(v.day.Month), Dim: k.Dim, Value: k.Value}
				s := months[code][mk]
				s.Inspections += v.n
				s.Days |= 1 << (v.day.Day - 1)
				months[code][mk] = s
			}
			if daily[code][v.day] == nil {
				daily[code][v.day] = map[string]int64{}
			}
			daily[code][v.day][""] += v.n
			daily[code][v.day][string(v.modality)] += v.n
		}
	}
	return months, daily
}

// every is a visit on each day from..to but those skipped.
func every(from, to outbound.Date, m outbound.Modality, skip ...outbound.Date) []visit {
	var out []visit
	for d := from; !to.Before(d); d = d.AddDays(1) {
		if !contains(skip, d) {
			out = append(out, visit{d, m, outbound.DayShift, 1})
		}
	}
	return out
}

func contains(ds []outbound.Date, d outbound.Date) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// The fixture's visits. 2026-03-08 is the day US clocks spring forward: a
// local day of 23 hours, one day like any other here.
func fixtureVisits(t *testing.T) map[string][]visit {
	d := func(s string) outbound.Date { return day(t, s) }
	laredoVisits := append(every(d("2026-01-31"), d("2026-03-11"), outbound.PersonalVehicle, d("2026-02-14"), d("2026-02-15")),
		// Trucks: two a week but the week of February 16 (one); on days
		// with other inspections, so that they add no day inspected.
		visit{d("2026-02-03"), outbound.Truck, outbound.SwingShift, 2},
		visit{d("2026-02-10"), outbound.Truck, outbound.SwingShift, 1}, visit{d("2026-02-12"), outbound.Truck, outbound.NightShift, 1},
		visit{d("2026-02-17"), outbound.Truck, outbound.SwingShift, 1},
		visit{d("2026-02-24"), outbound.Truck, outbound.SwingShift, 2},
		visit{d("2026-03-02"), outbound.Truck, outbound.SwingShift, 1}, visit{d("2026-03-08"), outbound.Truck, outbound.NightShift, 1},
		visit{d("2026-03-11"), outbound.Truck, outbound.DayShift, 5}, // after the period
	)
	return map[string][]visit{
		laredo.Code: laredoVisits,
		detroit.Code: {{d("2026-02-03"), outbound.Pedestrian, outbound.DayShift, 1}, {d("2026-02-10"), outbound.Pedestrian, outbound.DayShift, 1},
			{d("2026-02-24"), outbound.Pedestrian, outbound.DayShift, 1}, {d("2026-03-08"), outbound.Pedestrian, outbound.NightShift, 1}},
	}
}

func TestDaysAcrossDaylightSaving(t *testing.T) {
	for _, c := range []struct {
		from, to string
		days     int
	}{
		{"2026-03-01", "2026-03-31", 31}, // spring forward on the 8th: a 23-hour day
		{"2026-11-01", "2026-11-01", 1},  // fall back: a 25-hour day
		{"2026-10-25", "2026-11-07", 14},
		{"2026-02-01", "2026-03-10", 38},
		{"2024-02-28", "2024-03-01", 3}, // a leap day
		{"2026-03-10", "2026-03-09", 0},
	} {
		if got := tally.Days(day(t, c.from), day(t, c.to)); got != c.days {
			t.Errorf("Days(%s, %s) = %d, want %d", c.from, c.to, got, c.days)
		}
	}
}

func TestPeriodMask(t *testing.T) {
	from, to := day(t, "2026-02-20"), day(t, "2026-03-10")
	// February from the 20th to the 28th; March to the 10th; April none.
	for _, c := range []struct {
		year, month int
		mask        int64
	}{{2026, 2, 0b1_1111_1111 << 19}, {2026, 3, 0b11_1111_1111}, {2026, 4, 0}, {2026, 1, 0}} {
		if got := tally.PeriodMask(c.year, c.month, from, to); got != c.mask {
			t.Errorf("PeriodMask(%d-%02d) = %b, want %b", c.year, c.month, got, c.mask)
		}
	}
}

func TestCoverage(t *testing.T) {
	months, _ := rollups(fixtureVisits(t))
	// Partial months at both edges, across the change to daylight saving.
	from, to := day(t, "2026-02-10"), day(t, "2026-03-10")
	rows, totals := tally.Coverage(all, months, from, to)
	// 29 days; Laredo skipped the 14th and 15th of February. Detroit
	// inspected on the 10th and 24th of February and the 8th of March:
	// the longest run without is February 11 to 23, 13 days (February 25
	// to March 7 is 11).
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.Days: 29, outbound.DaysInspected: 27,
		outbound.LongestGapDays: 2, outbound.CoverageRate: 27.0 / 29})
	want(t, "laredo by modality", sub(row(t, rows, laredo.Code), outbound.DaysInspectedByModality), map[outbound.Metric]any{
		"personal_vehicle": int64(27), "truck": int64(6), "rail": int64(0)})
	want(t, "laredo by shift", sub(row(t, rows, laredo.Code), outbound.DaysInspectedByShift), map[outbound.Metric]any{
		"day": int64(27), "swing": int64(4), "night": int64(2)})
	want(t, "detroit", row(t, rows, detroit.Code), map[outbound.Metric]any{outbound.DaysInspected: 3, outbound.LongestGapDays: 13})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.DaysInspected: 0, outbound.LongestGapDays: 29, outbound.CoverageRate: 0.0})
	want(t, "totals", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.Days: 116, outbound.DaysInspected: 30,
		outbound.LongestGapDays: 29, outbound.CoverageRate: 30.0 / 116, outbound.CrossingsInspectedEveryDay: 0})

	// Only Laredo, only its days: every day inspected.
	oneFrom, oneTo := day(t, "2026-03-01"), day(t, "2026-03-10")
	oneRows, oneTotals := tally.Coverage([]outbound.Crossing{laredo}, months, oneFrom, oneTo)
	want(t, "laredo in March", oneTotals, map[outbound.Metric]any{outbound.Days: 10, outbound.DaysInspected: 10,
		outbound.LongestGapDays: 0, outbound.CrossingsInspectedEveryDay: 1})
	none, noTotals := tally.Coverage(nil, nil, from, to)
	want(t, "no crossings", noTotals, map[outbound.Metric]any{outbound.Days: 0, outbound.CoverageRate: nil})
	mustGolden(t, "coverage.json", result{"2026-02-10 to 2026-03-10", rows, totals}, result{"laredo, 2026-03-01 to 2026-03-10", oneRows, oneTotals},
		result{"no crossings", none, noTotals})
}

const fixturePolicy = `kind: national
id: national-2026
effective: 2026-01-01
rules:
  - id: sw-daily
    scope: {border: southwest}
    min_inspections: {count: 1, per: day}
  - id: north-weekly
    scope: {border: northern}
    min_inspections: {count: 1, per: week}
  - id: sw-trucks
    scope: {border: southwest, modalities: [truck]}
    min_inspections: {count: 2, per: week}
  - id: monthly
    scope: {}
    min_inspections: {count: 20, per: month}
`

func mustPolicy(t *testing.T, src string) []policy.Document {
	t.Helper()
	docs, err := policy.Parse("fixture.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func policyCrossing(c outbound.Crossing) policy.Crossing {
	return policy.Crossing{Code: c.Code, Border: string(c.Border), FieldOffice: c.FieldOffice, TimeZone: c.TimeZone}
}

// judge is what sqldb does: each crossing's windows judged by w.
func judge(docs []policy.Document, cs []outbound.Crossing, w *tally.Windows, from, to outbound.Date) []policy.Compliance {
	var list []policy.Compliance
	for _, c := range cs {
		list = append(list, policy.FrequencyMet(docs, policyCrossing(c), from, to, func(r *policy.Rule, start, end outbound.Date) bool {
			return w.Met(c.Code, r, start, end)
		}))
	}
	return list
}

func TestCompliance(t *testing.T) {
	docs := mustPolicy(t, fixturePolicy)
	months, daily := rollups(fixtureVisits(t))
	reads := map[string]int{}
	read := func(code string) (map[outbound.Date]map[string]int64, error) {
		reads[code]++
		return daily[code], nil
	}
	// February whole; March to the 10th, past the change to daylight
	// saving on Sunday the 8th. Weeks from Monday the 2nd of February to
	// Sunday the 8th of March: 5; days: 38.
	from, to := day(t, "2026-02-01"), day(t, "2026-03-10")
	w := tally.NewWindows(from, to, months, read)
	list := judge(docs, all, w, from, to)
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	// Only the southwest's two-trucks-a-week rule needs daily counts: read
	// once for each crossing it covers.
	if len(reads) != 2 || reads[laredo.Code] != 1 || reads[elPaso.Code] != 1 {
		t.Errorf("daily counts read %v, want once for each southwest crossing", reads)
	}
	rows, totals := tally.Compliance(all, list, w, 90)
	// Laredo: 36 of 38 days; 4 of 5 truck weeks; February's 20 (33
	// inspections): 41 of 44. Detroit: 4 of 5 weeks (March 8 counts in the
	// week of March 2), not February's 20: 4 of 6.
	want(t, "laredo", row(t, rows, laredo.Code), map[outbound.Metric]any{outbound.FieldOfficeKey: "Laredo", outbound.WindowsRequired: 44,
		outbound.WindowsMet: 41, outbound.ComplianceRate: 41.0 / 44, outbound.DaysInspected: 36, outbound.CoverageRate: 36.0 / 38})
	want(t, "el paso", row(t, rows, elPaso.Code), map[outbound.Metric]any{outbound.WindowsRequired: 44, outbound.WindowsMet: 0,
		outbound.ComplianceRate: 0.0, outbound.DaysInspected: 0, outbound.CoverageRate: 0.0})
	want(t, "detroit", row(t, rows, detroit.Code), map[outbound.Metric]any{outbound.WindowsRequired: 6, outbound.WindowsMet: 4, outbound.DaysInspected: 4})
	want(t, "nation", totals, map[outbound.Metric]any{outbound.Crossings: 4, outbound.WindowsRequired: 100, outbound.WindowsMet: 45,
		outbound.ComplianceRate: 0.45, outbound.CrossingsMetEveryWindow: 0, outbound.ShareMetEveryWindow: 0.0,
		outbound.CrossingsInspectingMinDays: 1, outbound.ShareInspectingMinDays: 0.25})
	want(t, "southwest", sub(totals, outbound.ByBorder, "southwest"), map[outbound.Metric]any{outbound.Crossings: 2, outbound.WindowsRequired: 88,
		outbound.WindowsMet: 41, outbound.CrossingsInspectingMinDays: 1, outbound.ShareInspectingMinDays: 0.5})
	want(t, "northern", sub(totals, outbound.ByBorder, "northern"), map[outbound.Metric]any{outbound.WindowsRequired: 12, outbound.WindowsMet: 4,
		outbound.ComplianceRate: 1.0 / 3})
	if offices := sub(totals, outbound.ByFieldOffice); len(offices) != 4 || offices[0].Key != "Boston" || offices[3].Key != "Laredo" {
		t.Errorf("by field office %v, want Boston, Detroit, El Paso, Laredo", offices)
	}

	// A week of March at Detroit and Houlton only, Houlton not judged (a
	// crossing the caller left out has no row); no window wholly inside
	// March 9 to 13 but days: a rate of no windows is null.
	wFrom, wTo := day(t, "2026-03-09"), day(t, "2026-03-13")
	ww := tally.NewWindows(wFrom, wTo, months, read)
	north := []outbound.Crossing{detroit, houlton}
	shortRows, shortTotals := tally.Compliance(north, judge(docs, north[:1], ww, wFrom, wTo), ww, 100)
	want(t, "short week", shortTotals, map[outbound.Metric]any{outbound.Crossings: 1, outbound.WindowsRequired: 0, outbound.ComplianceRate: nil,
		outbound.CrossingsMetEveryWindow: 1, outbound.ShareMetEveryWindow: 1.0})
	if len(shortRows) != 1 {
		t.Errorf("%d rows, want Detroit's alone", len(shortRows))
	}
	none, noTotals := tally.Compliance(nil, nil, w, 100)
	want(t, "no crossings", noTotals, map[outbound.Metric]any{outbound.Crossings: 0, outbound.ComplianceRate: nil, outbound.ShareMetEveryWindow: nil})
	mustGolden(t, "compliance.json", result{"2026-02-01 to 2026-03-10, 90% of days", rows, totals},
		result{"2026-03-09 to 2026-03-13, houlton not judged", shortRows, shortTotals}, result{"no crossings", none, noTotals})
}

func TestWindowsReportAFailedDailyRead(t *testing.T) {
	docs := mustPolicy(t, fixturePolicy)
	months, _ := rollups(fixtureVisits(t))
	broken := errors.New("connection lost")
	from, to := day(t, "2026-02-01"), day(t, "2026-02-28")
	w := tally.NewWindows(from, to, months, func(string) (map[outbound.Date]map[string]int64, error) { return nil, broken })
	judge(docs, []outbound.Crossing{laredo}, w, from, to)
	if !errors.Is(w.Err(), broken) {
		t.Fatalf("Err() = %v, want the daily read's failure", w.Err())
	}
}

// TestAgainstDaily checks the monthly arithmetic against an independent
// one on random visits: coverage against a walk over the set of days, and
// the windows judged from monthly masks and sums against policy's own
// count of each window from daily totals.
func TestAgainstDaily(t *testing.T) {
	docs := mustPolicy(t, fixturePolicy+`  - id: north-trucks-monthly
    scope: {border: northern, modalities: [truck, bus]}
    min_inspections: {count: 3, per: month}
  - id: pedestrians-twice-daily
    scope: {border: northern, modalities: [pedestrian]}
    min_inspections: {count: 2, per: day}
`)
	rng := rand.New(rand.NewPCG(14, 2026))
	start := day(t, "2025-12-01")
	for i := range 300 {
		c := all[i%len(all)]
		var visits []visit
		for range rng.IntN(120) {
			visits = append(visits, visit{start.AddDays(rng.IntN(150)), outbound.Modalities[rng.IntN(len(outbound.Modalities))],
				outbound.Shifts[rng.IntN(len(outbound.Shifts))], 1 + rng.Int64N(2)})
		}
		months, daily := rollups(map[string][]visit{c.Code: visits})
		from := start.AddDays(rng.IntN(100))
		to := from.AddDays(rng.IntN(50))

		// Coverage by walking the days.
		inspected, n, gap, run := map[outbound.Date]bool{}, 0, 0, 0
		for _, v := range visits {
			inspected[v.day] = true
		}
		for d := from; !to.Before(d); d = d.AddDays(1) {
			if inspected[d] {
				n, run = n+1, 0
			} else {
				run++
				gap = max(gap, run)
			}
		}
		rows, _ := tally.Coverage([]outbound.Crossing{c}, months, from, to)
		want(t, c.Code+" "+from.String()+".."+to.String(), rows[0], map[outbound.Metric]any{outbound.Days: tally.Days(from, to),
			outbound.DaysInspected: n, outbound.LongestGapDays: gap})

		w := tally.NewWindows(from, to, months, func(code string) (map[outbound.Date]map[string]int64, error) { return daily[code], nil })
		got := judge(docs, []outbound.Crossing{c}, w, from, to)[0]
		counts := daily[c.Code]
		wantC := policy.FrequencyFromDaily(docs, policyCrossing(c), from, to, func(d outbound.Date, modalities []string) int {
			if modalities == nil {
				return int(counts[d][""])
			}
			k := 0
			for _, m := range modalities {
				k += int(counts[d][m])
			}
			return k
		})
		if got.WindowsRequired != wantC.WindowsRequired || got.WindowsMet != wantC.WindowsMet || w.DaysInspected(c.Code) != n {
			t.Fatalf("%s %s..%s: %d of %d windows met, %d days inspected; daily counts say %d of %d, %d days",
				c.Code, from, to, got.WindowsMet, got.WindowsRequired, w.DaysInspected(c.Code), wantC.WindowsMet, wantC.WindowsRequired, n)
		}
	}
}
