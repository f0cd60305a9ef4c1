package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// An account's badge is stored with it, belongs to one account, and is
// the badge of the actor its sessions stand for.
func TestAnAccountCarriesItsBadge(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		password, err := db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}, Badge: "B1234"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AddUser(testdb.System, outbound.User{Name: "oleg", Role: outbound.Officer, Crossings: []string{"2304"}, Badge: "B1234"})
		if outbound.ErrorCode(err) != outbound.ECONFLICT || outbound.ErrorField(err) != "badge" || !strings.Contains(outbound.ErrorMessage(err), `user "olga"`) {
			t.Fatalf("a second account with olga's badge: %v; want a conflict naming olga", err)
		}
		for _, bad := range []string{"b1234", "B 1", "B_1"} {
			_, err := db.AddUser(testdb.System, outbound.User{Name: "oleg", Role: outbound.Officer, Crossings: []string{"2304"}, Badge: bad})
			if outbound.ErrorField(err) != "badge" {
				t.Errorf("badge %q: %v; want it refused", bad, err)
			}
		}
		if _, err := db.AddUser(testdb.System, outbound.User{Name: "oleg", Role: outbound.Officer, Crossings: []string{"2304"}}); err != nil {
			t.Fatalf("an account without a badge: %v", err)
		}
		s, err := db.Login(ctx, "olga", password, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := db.AuthenticateSession(ctx, s.Secret)
		if err != nil || a.Badge != "B1234" {
			t.Fatalf("olga's actor: %+v, %v; want badge B1234", a, err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("the audit log after accounts with badges: %+v, %v", rep, err)
		}
	})
}

// An officer undoes a record they have just made, without a supervisor:
// a void with the reason "undone at the lane", of a first version that
// lists their badge, soon after it arrived, keeping every field. Anything
// else is refused and stores nothing.
func TestAnOfficerUndoesTheirOwnRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		olga := outbound.WithActor(context.Background(), &outbound.Actor{Name: "olga", Role: outbound.Officer, Badge: "B1234", Crossings: []string{"2304"}})
		oleg := outbound.WithActor(context.Background(), &outbound.Actor{Name: "oleg", Role: outbound.Officer, Badge: "B9999", Crossings: []string{"2304"}})
		nobadge := outbound.WithActor(context.Background(), &outbound.Actor{Name: "ivan", Role: outbound.Officer, Crossings: []string{"2304"}})
		record := func(ctx context.Context, in outbound.Inspection) outbound.RecordResult[outbound.Inspection] {
			t.Helper()
			res, err := db.RecordInspections(ctx, []outbound.Inspection{in})
			if err != nil {
				t.Fatal(err)
			}
			return res[0]
		}
		mine := inspection(clock.Add(-20 * time.Minute)) // lists B1234 and B5678
		if r := record(olga, mine); r.Status != outbound.Created {
			t.Fatalf("olga's record: %+v", r)
		}
		undo := mine.Void(uuid.New(), outbound.UndoReason)
		edited := undo
		edited.Notes = "a different story"
		for _, c := range []struct {
			name  string
			ctx   context.Context
			in    outbound.Inspection
			field string
			code  string
		}{
			{"by an officer whose badge it does not list", oleg, undo, "replaces", outbound.EFORBIDDEN},
			{"by an officer without a badge", nobadge, undo, "replaces", outbound.EFORBIDDEN},
			{"changing a field", olga, edited, "replaces", outbound.EINVALID},
			{"as a void for another reason", olga, mine.Void(uuid.New(), "wrong vehicle"), "", outbound.EFORBIDDEN},
		} {
			res, err := db.RecordInspections(c.ctx, []outbound.Inspection{c.in})
			switch {
			case err != nil && outbound.ErrorCode(err) == c.code && c.field == "":
			case err != nil:
				t.Errorf("undo %s: %v", c.name, err)
			case res[0].Status != outbound.Invalid || res[0].Err.Code != c.code || res[0].Err.Field != c.field:
				t.Errorf("undo %s: %+v; want %s at %q", c.name, res[0], c.code, c.field)
			}
		}
		db.Now = func() time.Time { return clock.Add(outbound.UndoWindow + time.Second) }
		if r := record(olga, undo); r.Status != outbound.Invalid || !strings.Contains(r.Err.Message, "within 10 minutes") {
			t.Errorf("an undo after the window: %+v", r)
		}
		db.Now = func() time.Time { return clock.Add(time.Minute) }
		if r := record(olga, undo); r.Status != outbound.Created || !r.Record.Voided || r.Record.Version != 2 {
			t.Fatalf("olga's undo: %+v", r)
		}
		if r := record(olga, undo); r.Status != outbound.Replayed {
			t.Fatalf("olga's undo sent again: %+v; want a replay", r)
		}
		later := undo.Void(uuid.New(), outbound.UndoReason)
		if r := record(olga, later); r.Status == outbound.Created {
			t.Fatalf("an undo of the undo: %+v", r)
		}
		list, _, err := db.FindInspections(testdb.System, outbound.InspectionFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("after the undo, %d inspections count, %v; want none", len(list), err)
		}
		history, err := db.InspectionHistory(testdb.System, mine.ID)
		if err != nil || len(history) != 2 || history[1].Reason != "undone at the lane" {
			t.Fatalf("history: %+v, %v", history, err)
		}
	})
}

// An officer whose account has a badge records only inspections that list
// it: one under colleagues' badges alone is refused, with the field, and
// stores nothing, not even in a batch beside records of their own. A
// supervisor records for anyone, and a port node forwards what its
// officers recorded.
func TestAnOfficerRecordsUnderTheirOwnBadge(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		oleg := outbound.WithActor(context.Background(), &outbound.Actor{Name: "oleg", Role: outbound.Officer, Badge: "B9999", Crossings: []string{"2304"}})
		theirs := inspection(clock.Add(-time.Hour)) // lists B1234 and B5678
		mine := inspection(clock.Add(-time.Hour))
		mine.Officers = []string{"B5678", "B9999"}
		res, err := db.RecordInspections(oleg, []outbound.Inspection{theirs, mine})
		if err != nil {
			t.Fatal(err)
		}
		if r := res[0]; r.Status != outbound.Invalid || r.Err.Code != outbound.EFORBIDDEN || r.Err.Field != "officers" ||
			!strings.Contains(r.Err.Message, "B9999") {
			t.Errorf("oleg's record under B1234 and B5678: %+v; want it refused at officers, naming his badge", r)
		}
		if r := res[1]; r.Status != outbound.Created {
			t.Errorf("oleg's record with his badge: %+v; want it stored", r)
		}
		if _, err := db.FindInspection(testdb.System, theirs.ID); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Errorf("the refused record: %v; want it never stored", err)
		}
		for _, a := range []*outbound.Actor{
			{Name: "ana", Role: outbound.Supervisor, Badge: "S1", Crossings: []string{"2304"}},
			{Name: "ivan", Role: outbound.Officer, Crossings: []string{"2304"}}, // no badge on the account: typed
			{Name: "node-2304", Role: outbound.Node, Crossings: []string{"2304"}},
		} {
			in := inspection(clock.Add(-time.Hour))
			res, err := db.RecordInspections(outbound.WithActor(context.Background(), a), []outbound.Inspection{in})
			if err != nil || res[0].Status != outbound.Created {
				t.Errorf("%s records under B1234 and B5678: %+v, %v; want it stored", a, res, err)
			}
		}
	})
}
