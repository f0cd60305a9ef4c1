package sqldb_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Planning documents: only analysts and policy admins publish them, a bad
// one is refused naming its line, each publication is a new version, the
// latest is in force for rankings and budgets, and the audit log covers
// every version.
func TestPlanDocumentsAreVersioned(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		standard, _ := os.ReadFile("../gaps/testdata/standard.yaml")
		catalogue, _ := os.ReadFile("../gaps/testdata/catalogue.yaml")
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		if _, err := db.PublishPlan(sup, outbound.GapStandard, "s.yaml", standard); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor publishes a standard: %v", err)
		}
		if _, err := db.PlanInForce(sup, outbound.GapStandard); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("nothing published yet: %v", err)
		}
		if _, _, _, err := db.GapRanking(sup, gaps.Plan{}); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("a ranking with no standard: %v", err)
		}
		a, _, err := db.BudgetRequest(sup, budget.Assumptions{FiscalYear: 2027, DefaultMinutes: 40}, gaps.Plan{})
		if err != nil || !strings.Contains(a.Equipment, "not counted") {
			t.Fatalf("a budget with no standard: %q %v", a.Equipment, err)
		}
		hq := mustUser(t, db, "hq", outbound.HQAnalyst)
		bad := []byte("classes:\n  - id: sw\n    border: western\n")
		if _, err := db.PublishPlan(hq, outbound.GapStandard, "bad.yaml", bad); outbound.ErrorCode(err) != outbound.EINVALID ||
			!strings.Contains(outbound.ErrorMessage(err), "bad.yaml") || !strings.Contains(outbound.ErrorMessage(err), "western") {
			t.Fatalf("a bad standard: %v", err)
		}
		if _, err := db.PublishPlan(hq, "wish_list", "w.yaml", standard); outbound.ErrorCode(err) != outbound.EINVALID {
			t.Fatalf("an unknown kind: %v", err)
		}
		for v := 1; v <= 2; v++ {
			d, err := db.PublishPlan(hq, outbound.GapStandard, "s.yaml", standard)
			if err != nil || d.Version != v || d.PublishedBy != "hq" {
				t.Fatalf("publication %d: %+v %v", v, d, err)
			}
		}
		if _, err := db.PublishPlan(hq, outbound.CostCatalogue, "c.yaml", catalogue); err != nil {
			t.Fatal(err)
		}
		d, err := db.PlanInForce(sup, outbound.GapStandard)
		if err != nil || d.Version != 2 || d.Source != string(standard) {
			t.Fatalf("in force: %+v %v; want version 2", d, err)
		}
		ranking, costs, plan, err := db.GapRanking(sup, gaps.Plan{})
		if err != nil || len(ranking) != 1 || len(costs) == 0 || !strings.HasPrefix(plan.StandardFrom, "gap standard version 2") {
			t.Fatalf("a supervisor's ranking: %d crossings, %d costs, %q, %v; want Laredo, priced", len(ranking), len(costs), plan.StandardFrom, err)
		}
		// Laredo, surveyed, lacks a handheld radiation detector and more:
		// the budget prices what closes its gaps.
		day, _ := outbound.ParseDate("2026-03-01")
		if _, err := db.RecordSurveys(sup, []outbound.Survey{{ID: uuid.New(), Crossing: "2304", Day: day, OutboundLanes: 2, WiFi: "poor",
			Cellular: "fair", Mbps: 2, Power: "grid", Equipment: []outbound.Equipment{}, Hazards: []string{}}}); err != nil {
			t.Fatal(err)
		}
		a, lines, err := db.BudgetRequest(hq, budget.Assumptions{FiscalYear: 2027, DefaultMinutes: 40}, gaps.Plan{})
		if err != nil || !strings.Contains(a.Equipment, "cost catalogue version 1") || len(lines) != 2 || lines[0].Equipment == 0 {
			t.Fatalf("a budget from the published documents: %q %+v %v", a.Equipment, lines, err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE plan_documents SET source = ? WHERE kind = ? AND version = 1`), "classes: []", outbound.GapStandard); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); !strings.Contains(strings.Join(rep.Problems, "\n"), "plan:gap_standard:1 was altered") {
			t.Fatalf("verify after rewriting a standard: %v", rep.Problems)
		}
	})
}
