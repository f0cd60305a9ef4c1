package nodesync_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
)

// Every kind that port nodes record reaches headquarters unchanged in one
// round, and a second round sends nothing again; a kind nodes do not send
// stays at the node. The kinds come from outbound.Kinds, so a kind added
// there and forgotten by the push fails here.
func TestEveryKindTravelsFromNodeToHeadquarters(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		c := upstream(t, hq)

		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		sent := map[outbound.Kind]outbound.Record{}
		for _, k := range outbound.Kinds {
			r := testdb.Sample(t, k, "2304", time.Now())
			if st, err := testdb.Record(testdb.System, node, r); err != nil || st != outbound.Created {
				t.Fatalf("record %s at the node: %s, %v", k.Name, st, err)
			}
			sent[k] = r
		}
		s := &nodesync.Syncer{DB: node, Upstream: c}
		rep, err := s.Round(context.Background())
		if err != nil || rep.Pending != 0 || rep.Conflicts != 0 {
			t.Fatalf("round: %+v, %v", rep, err)
		}
		pushed := 0
		for k, r := range sent {
			got, err := hq.RecordsByID(testdb.System, k, []uuid.UUID{r.RecordID()})
			switch {
			case err != nil:
				t.Fatal(err)
			case k.FromNodes && (len(got) != 1 || got[0].ContentHash() != r.ContentHash()):
				t.Errorf("%s at headquarters: %+v; want the node's record unchanged", k.Name, got)
			case !k.FromNodes && len(got) != 0:
				t.Errorf("%s reached headquarters, though nodes do not send them", k.Name)
			}
			if k.FromNodes {
				pushed++
			}
		}
		if rep.Pushed != pushed {
			t.Errorf("the round pushed %d records; want %d, one of each kind nodes send", rep.Pushed, pushed)
		}
		if rep, err := s.Round(context.Background()); err != nil || rep.Pushed != 0 {
			t.Errorf("second round: %+v, %v; want nothing sent again", rep, err)
		}
	})
}

// A survey voided at a port node arrives voided: the void goes after the
// survey it names, in the same round, and headquarters counts neither.
func TestASurveyVoidedAtANodeArrivesVoided(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		day := outbound.DateOf(time.Now())
		survey := outbound.Survey{ID: uuid.New(), Crossing: "2304", Day: day, OutboundLanes: 30, WiFi: "poor", Cellular: "poor", Power: "grid"}
		void := survey.Void(uuid.New(), day, "lanes typed as 30")
		// The void's id sorts first, so the push's order by id would send it first.
		for void.ID.String() > survey.ID.String() {
			void.ID = uuid.New()
		}
		if res, err := node.RecordSurveys(testdb.System, []outbound.Survey{survey, void}); err != nil || res[1].Status != outbound.Created {
			t.Fatalf("record at the node: %+v %v", res, err)
		}
		rep, err := (&nodesync.Syncer{DB: node, Upstream: upstream(t, hq)}).Round(context.Background())
		if err != nil || rep.Pushed != 2 || rep.Pending != 0 {
			t.Fatalf("round: %+v, %v", rep, err)
		}
		if latest, err := hq.LatestSurvey(testdb.System, "2304"); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("headquarters counts a voided survey: %+v %v", latest, err)
		}
	})
}

// A staffing record edited at a port node arrives with its edits, each
// once: an edit goes after the version it replaces in the same round, a
// later edit in a later round, a push sent again is a replay, and
// headquarters counts the shift once, as its latest version.
func TestStaffingEditedAtANodeArrivesOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		c := upstream(t, hq)
		ana := outbound.WithActor(context.Background(), &outbound.Actor{Name: "ana", Role: outbound.Supervisor, Crossings: []string{"2304"}})
		day := outbound.DateOf(time.Now()).AddDays(-1)
		first := outbound.Staffing{ID: uuid.New(), Crossing: "2304", Day: day, Shift: outbound.DayShift, HoursPlanned: 16, HoursWorked: 12}
		edit := first.NextVersion(uuid.New(), "12 was the swing shift's")
		edit.HoursWorked = 15
		// The edit's id sorts first, so the push's order by id would send it first.
		for edit.ID.String() > first.ID.String() {
			edit.ID = uuid.New()
		}
		if res, err := node.RecordStaffing(ana, []outbound.Staffing{first, edit}); err != nil || res[1].Status != outbound.Created {
			t.Fatalf("record at the node: %+v %v", res, err)
		}
		s := &nodesync.Syncer{DB: node, Upstream: c}
		if rep, err := s.Round(context.Background()); err != nil || rep.Pushed != 2 || rep.Pending != 0 || rep.Conflicts != 0 {
			t.Fatalf("round: %+v, %v", rep, err)
		}
		again := edit.NextVersion(uuid.New(), "and 16 planned")
		again.HoursPlanned = 18
		if res, err := node.RecordStaffing(ana, []outbound.Staffing{again}); err != nil || res[0].Status != outbound.Created {
			t.Fatalf("the second edit at the node: %+v %v", res, err)
		}
		if rep, err := s.Round(context.Background()); err != nil || rep.Pushed != 1 || rep.Conflicts != 0 {
			t.Fatalf("second round: %+v, %v", rep, err)
		}
		// An answer lost on the way: the node sends the same versions again.
		stored, err := node.RecordsByID(testdb.System, outbound.StaffingKind, []uuid.UUID{first.ID, edit.ID, again.ID})
		if err != nil || len(stored) != 3 {
			t.Fatalf("the node's versions: %v %v", stored, err)
		}
		var batch []outbound.Staffing
		for _, r := range stored {
			batch = append(batch, *r.(*outbound.Staffing))
		}
		res, err := c.RecordStaffing(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != outbound.Replayed {
				t.Errorf("%s sent again: %s %v; want replayed", r.ID, r.Status, r.Err)
			}
		}
		at, err := hq.RecordsByID(testdb.System, outbound.StaffingKind, []uuid.UUID{first.ID, edit.ID, again.ID})
		if err != nil || len(at) != 3 {
			t.Fatalf("headquarters holds %d of the 3 versions: %v", len(at), err)
		}
		for i, r := range at {
			if r.ContentHash() != stored[i].ContentHash() {
				t.Errorf("version %d at headquarters: %+v; want the node's unchanged", i+1, r)
			}
		}
		list, _, err := hq.FindStaffing(testdb.System, outbound.Filter{Crossing: "2304"})
		if err != nil || len(list) != 1 || list[0].ID != again.ID {
			t.Fatalf("headquarters lists %+v, %v; want the shift once, as its latest version", list, err)
		}
		rep, err := hq.Report(testdb.System, "staffing", outbound.ReportFilter{From: day, To: day, Crossing: "2304"})
		if err != nil || len(rep.Rows) != 1 || rep.Rows[0].Get(outbound.HoursPlanned) != 18.0 || rep.Rows[0].Get(outbound.HoursWorked) != 15.0 {
			t.Fatalf("headquarters' staffing report: %+v, %v", rep.Rows, err)
		}
		if v, err := hq.VerifyAudit(testdb.System, nil, nil); err != nil || !v.OK() {
			t.Fatalf("headquarters' audit: %+v, %v", v, err)
		}
	})
}
