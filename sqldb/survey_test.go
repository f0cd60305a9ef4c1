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

// A survey made in error is voided by a record that names it and says
// why: both are kept, neither counts, a survey is voided once, and the
// void is held to its survey and covered by the audit log.
func TestSurveyVoid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return clock }
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304", "3004")
		day := outbound.DateOf(clock)
		survey := func(crossing string, lanes int) outbound.Survey {
			return outbound.Survey{ID: uuid.New(), Crossing: crossing, Day: day, OutboundLanes: lanes, WiFi: "poor", Cellular: "fair", Power: "grid"}
		}
		older, wrong, other := survey("2304", 3), survey("2304", 30), survey("3004", 2)
		older.Day = day.AddDays(-30)
		void := wrong.Void(uuid.New(), day, "lanes typed as 30, not 3")
		status := func(batch ...outbound.Survey) []outbound.RecordResult[outbound.Survey] {
			t.Helper()
			res, err := db.RecordSurveys(sup, batch)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		// The void goes in the same batch as its survey, sent first.
		for i, r := range status(void, older, wrong, other) {
			if r.Status != outbound.Created {
				t.Fatalf("item %d: %+v", i, r)
			}
		}
		latest, err := db.LatestSurvey(sup, "2304")
		if err != nil || latest.ID != older.ID {
			t.Fatalf("latest after the void: %d lanes %v; want the older survey's 3", latest.OutboundLanes, err)
		}
		if all, _ := db.LatestSurveys(sup); all["2304"].ID != older.ID || all["3004"].ID != other.ID {
			t.Fatalf("latest of every crossing: %v", all)
		}
		if r := status(void)[0]; r.Status != outbound.Replayed || r.Record == nil || *r.Record.Voids != wrong.ID || r.Record.RecordedBy != "sam" {
			t.Fatalf("replayed void: %+v", r)
		}

		refused := map[string]struct {
			s    outbound.Survey
			code string
			want string
		}{
			"a second void":       {wrong.Void(uuid.New(), day, "again"), outbound.ECONFLICT, "a void of survey " + wrong.ID.String() + " is already recorded as " + void.ID.String()},
			"a void of a void":    {void.Void(uuid.New(), day, "undo"), outbound.EINVALID, "a void cannot be voided"},
			"an unknown survey":   {survey("2304", 1).Void(uuid.New(), day, "x"), outbound.EINVALID, "is not stored"},
			"another crossing's":  {func() outbound.Survey { v := other.Void(uuid.New(), day, "x"); v.Crossing = "2304"; return v }(), outbound.EINVALID, "is of crossing 3004"},
			"no reason":           {older.Void(uuid.New(), day, " "), outbound.EINVALID, "needs a reason"},
			"a void with answers": {func() outbound.Survey { v := older.Void(uuid.New(), day, "x"); v.Mbps = 3; return v }(), outbound.EINVALID, "answers nothing"},
			"a reason, no voids":  {func() outbound.Survey { s := survey("2304", 1); s.Reason = "x"; return s }(), outbound.EINVALID, "only for a void"},
			"a void of itself":    {func() outbound.Survey { v := older.Void(uuid.New(), day, "x"); v.Voids = &v.ID; return v }(), outbound.EINVALID, "another survey"},
			"a void dated 2099":   {older.Void(uuid.New(), outbound.Date{Year: 2099, Month: 1, Day: 1}, "x"), outbound.EINVALID, "day"},
			"a control character": {older.Void(uuid.New(), day, "bad\x00"), outbound.EINVALID, "reason"},
		}
		for name, c := range refused {
			r := status(c.s)[0]
			if r.Err == nil || r.Err.Code != c.code || !strings.Contains(r.Err.Message+r.Err.Field, c.want) {
				t.Errorf("%s: %+v; want %s naming %q", name, r.Err, c.code, c.want)
			}
		}
		if latest, _ := db.LatestSurvey(sup, "2304"); latest.ID != older.ID {
			t.Fatalf("a refused void changed the latest: %v", latest.ID)
		}

		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
		// Moving the void onto another survey is caught.
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE surveys SET voids = ? WHERE id = ?`), older.ID.String(), void.ID.String()); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); !strings.Contains(strings.Join(rep.Problems, "\n"), "survey:"+void.ID.String()+" was altered") {
			t.Fatalf("verify after moving a void: %v", rep.Problems)
		}
	})
}
