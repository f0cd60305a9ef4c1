package sqldb_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A published schedule meets the policy, replaces an earlier one for the
// same days, travels to its crossing's node (and no other), and is part
// of the verified record on both sides.
func TestPublishedSchedulesReachTheirNode(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := mustOpen(t, dsn)
		src := []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
			"  - id: sw-daily\n    scope: {border: southwest}\n    min_inspections: {count: 1, per: day}\n" +
			"  - id: north-weekly\n    scope: {border: northern}\n    min_inspections: {count: 1, per: week}\n")
		if _, _, err := hq.PublishPolicy(testdb.System, "n.yaml", src); err != nil {
			t.Fatal(err)
		}
		week := outbound.ScheduleRequest{From: outbound.Date{Year: 2026, Month: 3, Day: 16}, To: outbound.Date{Year: 2026, Month: 3, Day: 22}}
		officer := mustUser(t, hq, "olga", outbound.Officer, "2304")
		if _, err := hq.PublishSchedule(officer, week); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer publishes: %v", err)
		}
		sup := mustUser(t, hq, "sam", outbound.Supervisor, "2304")
		blaine := week
		blaine.Crossings = []string{"3004"}
		if _, err := hq.PublishSchedule(sup, blaine); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("Laredo's supervisor plans Blaine: %v", err)
		}
		first, err := hq.PublishSchedule(sup, week)
		if err != nil || len(first) != 1 || first[0].Crossing != "2304" {
			t.Fatalf("Laredo's supervisor publishes: %+v %v; want Laredo's schedule only", first, err)
		}
		days := map[outbound.Date]bool{}
		for _, o := range first[0].Operations {
			days[o.Day] = true
		}
		if len(days) != 7 {
			t.Fatalf("Laredo has operations on %d of 7 days; its minimum is one a day", len(days))
		}
		// Staffing plans outbound hours at Laredo on day shifts only: its
		// other shifts have no team.
		var staffing []outbound.Staffing
		for d := range 28 {
			staffing = append(staffing, outbound.Staffing{ID: uuid.New(), Crossing: "2304", Day: week.From.AddDays(-1 - d), Shift: outbound.DayShift,
				HoursPlanned: 16, HoursWorked: 16})
		}
		if _, err := hq.RecordStaffing(testdb.System, staffing); err != nil {
			t.Fatal(err)
		}
		office := mustUser(t, hq, "fo", outbound.FieldOffice, "2304", "3004")
		second, err := hq.PublishSchedule(office, week)
		if err != nil || len(second) != 2 || second[0].ID == first[0].ID {
			t.Fatalf("the field office publishes: %+v %v", second, err)
		}
		found, err := hq.FindSchedules(sup, "", week.From, week.To)
		if err != nil || len(found) != 1 || found[0].ID != second[0].ID || len(found[0].Operations) != 7 {
			t.Fatalf("Laredo's supervisor finds %+v, %v; want the later publication, Laredo only, its seven day shifts", found, err)
		}
		for _, o := range found[0].Operations {
			if o.Shift != outbound.DayShift {
				t.Fatalf("an operation on Laredo's %s shift, which has no team", o.Shift)
			}
		}
		tight := week
		tight.FieldOfficeBudgets = map[string]int{"Laredo": 5}
		if _, err := hq.PublishSchedule(office, tight); outbound.ErrorCode(err) != outbound.EUNPROCESSABLE ||
			!strings.Contains(err.Error(), "budget of field office Laredo") {
			t.Fatalf("a Laredo budget below its seven daily minimums: %v", err)
		}

		node := mustUser(t, hq, "node-2304", outbound.Node, "2304")
		ref, err := hq.ReferenceFor(node, 0)
		if err != nil || len(ref.Schedules) != 2 || ref.Schedules[0].Crossing != "2304" || ref.Schedules[1].Crossing != "2304" {
			t.Fatalf("the node's reference: %+v, %v; want Laredo's two publications", ref.Schedules, err)
		}
		port := mustOpen(t, testdb.SQLite(t))
		if err := port.ApplyReference(testdb.System, ref); err != nil {
			t.Fatal(err)
		}
		if err := port.ApplyReference(testdb.System, ref); err != nil { // again: nothing new
			t.Fatal(err)
		}
		atNode, err := port.FindSchedules(testdb.System, "2304", week.From, week.To)
		if err != nil || len(atNode) != 1 || atNode[0].ID != second[0].ID || len(atNode[0].Operations) != len(second[0].Operations) {
			t.Fatalf("at the node: %+v, %v", atNode, err)
		}
		for name, db := range map[string]*sqldb.DB{"headquarters": hq, "node": port} {
			if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
				t.Fatalf("%s: verify: %+v %v", name, rep.Problems, err)
			}
		}
		if _, err := hq.SQL().Exec(hq.Rebind(`UPDATE schedules SET operations = '' WHERE crossing = ?`), "2304"); err != nil {
			t.Fatal(err)
		}
		rep, err := hq.VerifyAudit(testdb.System, nil, nil)
		if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "schedule:"+first[0].ID+"/2304 was altered") {
			t.Fatalf("verify after emptying Laredo's schedules: %+v %v", rep.Problems, err)
		}
	})
}
