package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Trends count each week's and month's inspections, only inside the
// period (a month it cuts counts its days in the period), empty buckets
// included, and only at the crossings the actor may see.
func TestTrendPerWeekAndMonth(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		var batch []outbound.Inspection
		for _, day := range []string{"2026-01-30", "2026-02-02", "2026-02-03", "2026-02-27", "2026-03-02"} {
			d, _ := time.Parse("2006-01-02", day)
			batch = append(batch, inspection(d.Add(18*time.Hour))) // noon in Laredo
		}
		blaine := inspection(time.Date(2026, 2, 3, 20, 0, 0, 0, time.UTC))
		blaine.Crossing = "3004"
		mustRecord(t, db, append(batch, blaine)...)
		from, to := outbound.Date{Year: 2026, Month: 1, Day: 31}, outbound.Date{Year: 2026, Month: 3, Day: 1}
		months, err := db.Trend(testdb.System, outbound.ReportFilter{From: from, To: to}, outbound.PerMonth)
		if err != nil {
			t.Fatal(err)
		}
		counts := func(ps []outbound.TrendPoint) map[string]int64 {
			m := map[string]int64{}
			for _, p := range ps {
				m[p.Start.String()] = p.Inspections
			}
			return m
		}
		// 30 January and 2 March are outside; February has 4 (one at Blaine).
		if d := cmp.Diff(map[string]int64{"2026-01-01": 0, "2026-02-01": 4, "2026-03-01": 0}, counts(months)); d != "" {
			t.Fatalf("months (-want +got):\n%s", d)
		}
		weeks, err := db.Trend(mustUser(t, db, "sam", outbound.Supervisor, "2304"), outbound.ReportFilter{From: from, To: to}, outbound.PerWeek)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"2026-01-26": 0, "2026-02-02": 2, "2026-02-09": 0, "2026-02-16": 0, "2026-02-23": 1}
		if d := cmp.Diff(want, counts(weeks)); d != "" {
			t.Fatalf("Laredo's weeks, as its supervisor (-want +got):\n%s", d)
		}
		days, err := db.Trend(testdb.System, outbound.ReportFilter{From: from, To: to, Crossing: "3004"}, outbound.PerDay)
		if err != nil || len(days) != 30 || counts(days)["2026-02-03"] != 1 || counts(days)["2026-02-02"] != 0 {
			t.Fatalf("Blaine's days: %v %v", counts(days), err)
		}
		// A border's trend reads its crossings only (on PostgreSQL as an
		// array, whatever their number).
		north, err := db.Trend(testdb.System, outbound.ReportFilter{From: from, To: to, Border: "northern"}, outbound.PerMonth)
		if d := cmp.Diff(map[string]int64{"2026-01-01": 0, "2026-02-01": 1, "2026-03-01": 0}, counts(north)); err != nil || d != "" {
			t.Fatalf("the northern border's months (-want +got): %v\n%s", err, d)
		}
		// A field office of no crossings has a trend of nothing (it was a
		// panic: an empty list of placeholders).
		none, err := db.Trend(testdb.System, outbound.ReportFilter{From: from, To: to, FieldOffice: "Nowhere"}, outbound.PerMonth)
		if d := cmp.Diff(map[string]int64{"2026-01-01": 0, "2026-02-01": 0, "2026-03-01": 0}, counts(none)); err != nil || d != "" {
			t.Fatalf("no crossings' months (-want +got): %v\n%s", err, d)
		}
		if _, err := db.Trend(testdb.System, outbound.ReportFilter{From: from, To: to}, "hour"); outbound.ErrorCode(err) != outbound.EINVALID {
			t.Fatalf("per hour: %v", err)
		}
	})
}
