package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Every survey is kept with who answered it and when; the latest counts;
// a replay stores nothing; the audit log covers the answers.
func TestSurveysKeepTheirHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		survey := func(day string, mbps float64) outbound.Survey {
			d, _ := outbound.ParseDate(day)
			return outbound.Survey{ID: uuid.New(), Crossing: "2304", Day: d, OutboundLanes: 3, WiFi: "poor", Cellular: "fair", Mbps: mbps, Power: "grid",
				Equipment: []outbound.Equipment{{Type: "nii_xray", Count: 1, Condition: "good"}}, Hazards: []string{}}
		}
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		if _, err := db.RecordSurveys(mustUser(t, db, "olga", outbound.Officer, "2304"), []outbound.Survey{survey("2026-03-01", 1)}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer records a survey: %v", err)
		}
		first, second := survey("2026-03-01", 1), survey("2026-03-05", 2)
		correction := second
		correction.ID, correction.Mbps = uuid.New(), 2.5
		for i, batch := range [][]outbound.Survey{{first, second}, {correction}, {first}} {
			db.Now = func() time.Time { return clock.Add(time.Duration(i) * time.Hour) } // the correction comes later
			res, err := db.RecordSurveys(sup, batch)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Status != outbound.Created && r.Status != outbound.Replayed {
					t.Fatalf("record: %+v", r)
				}
			}
		}
		db.Now = func() time.Time { return clock }
		latest, err := db.LatestSurveys(sup)
		l := latest["2304"]
		if err != nil || l.ID != correction.ID || l.RecordedBy != "sam" || l.Working("nii_xray") != 1 {
			t.Fatalf("latest: %+v %v; want the correction, recorded by sam", l, err)
		}
		all, _, err := db.FindSurveys(sup, outbound.Filter{Crossing: "2304", Limit: 10})
		if err != nil || len(all) != 3 {
			t.Fatalf("history: %d surveys, %v; want 3", len(all), err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE surveys SET answers = replace(answers, '"mbps":2.5', '"mbps":25') WHERE id = ?`), correction.ID.String()); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); !strings.Contains(strings.Join(rep.Problems, "\n"), "survey:"+correction.ID.String()+" was altered") {
			t.Fatalf("verify after changing an answer: %v", rep.Problems)
		}
	})
}

// The funding line: entries stored once, summed per crossing, category and
// kind, and covered by the audit log.
func TestFundingLine(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		day, _ := outbound.ParseDate("2026-03-02")
		entry := func(kind string, amount float64) outbound.FundingEntry {
			return outbound.FundingEntry{ID: uuid.New(), FiscalYear: 2027, Crossing: "2304", Category: "equipment", Kind: kind, Day: day, AmountUSD: amount}
		}
		batch := []outbound.FundingEntry{entry("allocation", 500000), entry("allocation", -50000), entry("obligation", 300000)}
		if _, err := db.RecordFunding(mustUser(t, db, "sam", outbound.Supervisor, "2304"), batch); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor records funding: %v", err)
		}
		analyst := mustUser(t, db, "hq", outbound.HQAnalyst)
		for range 2 { // the second time, replays
			if _, err := db.RecordFunding(analyst, batch); err != nil {
				t.Fatal(err)
			}
		}
		totals, err := db.FundingTotals(analyst, 2027)
		if err != nil || totals["2304"]["equipment"]["allocation"] != 450000 || totals["2304"]["equipment"]["obligation"] != 300000 {
			t.Fatalf("totals: %v %v", totals, err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE funding SET amount_usd = 5000000 WHERE id = ?`), batch[0].ID.String()); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); !strings.Contains(strings.Join(rep.Problems, "\n"), "funding:"+batch[0].ID.String()+" was altered") {
			t.Fatalf("verify after raising an allocation: %v", rep.Problems)
		}
	})
}
