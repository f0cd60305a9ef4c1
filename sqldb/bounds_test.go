package sqldb_test

import (
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A record's day is judged against today at its crossing, by its time
// zone: at 03:00 UTC on 10 March it is the evening of the 9th in Laredo,
// so a survey dated the 11th there is two days ahead and refused, while
// the 10th is taken. Both databases answer the same.
func TestDayIsJudgedInTheCrossingsZone(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) }
		ahead := testdb.Sample(t, outbound.SurveyKind, "2304", clock).(*outbound.Survey)
		ahead.Day = outbound.Date{Year: 2026, Month: 3, Day: 11}
		st, err := testdb.Record(testdb.System, db, ahead)
		if st != outbound.Invalid || outbound.ErrorField(err) != "day" {
			t.Fatalf("a survey dated 2026-03-11 at Laredo at 2026-03-09 22:00 local: %s %v; want invalid naming day", st, err)
		}
		ok := testdb.Sample(t, outbound.SurveyKind, "2304", clock).(*outbound.Survey)
		ok.Day = outbound.Date{Year: 2026, Month: 3, Day: 10}
		if st, err := testdb.Record(testdb.System, db, ok); st != outbound.Created {
			t.Fatalf("a survey dated tomorrow at Laredo: %s %v", st, err)
		}
		surveys, _, err := db.FindSurveys(testdb.System, outbound.Filter{Crossing: "2304"})
		if err != nil || len(surveys) != 1 || surveys[0].ID != ok.ID {
			t.Fatalf("surveys stored: %v %v; want only the one dated tomorrow", surveys, err)
		}
	})
}

// A survey dated ahead of today that is already stored (by a version
// before days were bounded, or under a wrong server clock) does not
// become the crossing's latest: the one dated today is.
func TestLatestSurveyIgnoresDaysAhead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC) }
		ahead := testdb.Sample(t, outbound.SurveyKind, "2304", clock).(*outbound.Survey)
		ahead.Day = outbound.Date{Year: 2099, Month: 1, Day: 1}
		if st, err := testdb.Record(testdb.System, db, ahead); st != outbound.Created {
			t.Fatalf("a survey dated 2099 under a clock in 2099: %s %v", st, err)
		}
		db.Now = func() time.Time { return clock }
		today := testdb.Sample(t, outbound.SurveyKind, "2304", clock).(*outbound.Survey)
		if st, err := testdb.Record(testdb.System, db, today); st != outbound.Created {
			t.Fatalf("a survey dated yesterday: %s %v", st, err)
		}
		latest, err := db.LatestSurveys(testdb.System)
		if err != nil || latest["2304"].ID != today.ID {
			t.Fatalf("latest survey: %v %v; want %s, not the one dated 2099", latest["2304"].ID, err, today.ID)
		}
	})
}
