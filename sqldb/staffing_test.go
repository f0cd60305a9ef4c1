package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A staffing record is edited as an inspection is: a new version naming
// the one it replaces, with a reason and who recorded it. A second record
// for the shift names the one there; a stale edit, an edit of another
// crossing's record or of another shift is refused with the field named
// and stores nothing; reports count the shift once, as its latest
// version; and audit verify passes, then catches a version altered in the
// database.
func TestStaffingIsEditedAsNewVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ana := outbound.WithActor(context.Background(), &outbound.Actor{Name: "ana", Role: outbound.Supervisor, Crossings: []string{"2304"}})
		bo := outbound.WithActor(context.Background(), &outbound.Actor{Name: "bo", Role: outbound.Supervisor, Crossings: []string{"3004"}})
		day := outbound.DateOf(clock).AddDays(-1)
		record := func(ctx context.Context, s outbound.Staffing) outbound.RecordResult[outbound.Staffing] {
			t.Helper()
			res, err := db.RecordStaffing(ctx, []outbound.Staffing{s})
			if err != nil {
				t.Fatal(err)
			}
			return res[0]
		}
		first := outbound.Staffing{ID: uuid.New(), Crossing: "2304", Day: day, Shift: outbound.DayShift, HoursPlanned: 16, HoursWorked: 12,
			HoursDiverted: 4, DiversionReason: outbound.DivertedInboundTraffic}
		if r := record(ana, first); r.Status != outbound.Created || r.Record.RecordedBy != "ana" {
			t.Fatalf("first: %+v", r)
		}
		// Someone else records the same shift: the answer names what is there.
		again := first
		again.ID, again.HoursPlanned = uuid.New(), 8
		r := record(ana, again)
		if r.Status != outbound.Conflict || !strings.Contains(r.Err.Message, "16 h planned, 12 worked, 4 diverted (inbound traffic) by ana (version "+first.ID.String()) {
			t.Fatalf("a second record for the shift: %+v %v", r, r.Err)
		}
		edit := first.NextVersion(uuid.New(), "the night lead's count")
		edit.HoursWorked = 14
		if r := record(ana, edit); r.Status != outbound.Created || *r.Record.Replaces != first.ID {
			t.Fatalf("edit: %+v %v", r, r.Err)
		}
		if r := record(ana, edit); r.Status != outbound.Replayed {
			t.Fatalf("the edit sent again: %+v", r)
		}
		stale := first.NextVersion(uuid.New(), "a second look")
		if r := record(ana, stale); r.Status != outbound.Conflict || r.Err.Field != "replaces" || !strings.Contains(r.Err.Message, edit.ID.String()+" by ana") {
			t.Fatalf("an edit of a replaced version: %+v %v", r, r.Err)
		}
		for name, c := range map[string]struct {
			ctx   context.Context
			edit  func(*outbound.Staffing)
			field string
		}{
			"no reason":          {ana, func(s *outbound.Staffing) { s.Reason = " " }, "reason"},
			"a huge reason":      {ana, func(s *outbound.Staffing) { s.Reason = strings.Repeat("x", 100_000) }, "reason"},
			"absurd hours":       {ana, func(s *outbound.Staffing) { s.HoursWorked = 1e9 }, "hours_worked"},
			"another day":        {ana, func(s *outbound.Staffing) { s.Day = day.AddDays(-1) }, "day"},
			"another shift":      {ana, func(s *outbound.Staffing) { s.Shift = outbound.NightShift }, "shift"},
			"no such version":    {ana, func(s *outbound.Staffing) { id := uuid.New(); s.Replaces = &id }, "replaces"},
			"another crossing's": {bo, func(s *outbound.Staffing) { s.Crossing = "3004" }, "replaces"},
		} {
			bad := edit.NextVersion(uuid.New(), "why not")
			c.edit(&bad)
			if r := record(c.ctx, bad); r.Status != outbound.Invalid || r.Err.Field != c.field {
				t.Errorf("%s: %+v %v; want it refused at %s", name, r, r.Err, c.field)
			}
		}
		// bo may not edit ana's crossing's record under its own crossing either.
		if _, err := db.RecordStaffing(bo, []outbound.Staffing{edit.NextVersion(uuid.New(), "mine now")}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("bo edits Laredo's shift: %v", err)
		}
		list, _, err := db.FindStaffing(ana, outbound.Filter{Crossing: "2304"})
		if err != nil || len(list) != 1 || list[0].ID != edit.ID || list[0].HoursWorked != 14 || list[0].Reason != "the night lead's count" {
			t.Fatalf("listed: %+v, %v; want the latest version only", list, err)
		}
		rep, err := db.Report(testdb.System, "staffing", outbound.ReportFilter{From: day, To: day, Crossing: "2304"})
		if err != nil || len(rep.Rows) != 1 || rep.Rows[0].Get(outbound.HoursWorked) != 14.0 || rep.Rows[0].Get(outbound.HoursPlanned) != 16.0 {
			t.Fatalf("the staffing report: %+v, %v; want the shift once, as edited", rep.Rows, err)
		}
		if v, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !v.OK() {
			t.Fatalf("verify: %+v, %v", v, err)
		}
		// An altered version, or who recorded it, is found.
		for _, change := range []string{`hours_worked = 15`, `recorded_by = 'mallory'`, `reason = 'nothing'`} {
			if _, err := db.SQL().Exec(db.Rebind(`UPDATE staffing SET `+change+` WHERE id = ?`), edit.ID.String()); err != nil {
				t.Fatal(err)
			}
			v, err := db.VerifyAudit(testdb.System, nil, nil)
			if err != nil || v.OK() || !strings.Contains(strings.Join(v.Problems, "\n"), "staffing:"+edit.ID.String()) {
				t.Fatalf("verify after %s: %+v, %v", change, v.Problems, err)
			}
			if _, err := db.SQL().Exec(db.Rebind(`UPDATE staffing SET hours_worked = 14, recorded_by = 'ana', reason = 'the night lead''s count' WHERE id = ?`), edit.ID.String()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
