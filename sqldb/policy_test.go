package sqldb_test

import (
	"os"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

func TestPublishPoliciesAndMeasureCompliance(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		national, err := os.ReadFile("../policy/testdata/policies/national.yaml")
		if err != nil {
			t.Fatal(err)
		}
		admin := mustUser(t, db, "pat", outbound.PolicyAdmin)
		if _, _, err := db.PublishPolicy(mustUser(t, db, "sam", outbound.Supervisor, "2304"), "n.yaml", national); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor publishes: %v", err)
		}
		docs, rep, err := db.PublishPolicy(admin, "national.yaml", national)
		if err != nil || len(docs) != 1 || len(rep.Findings) != 0 {
			t.Fatalf("publish the national policy: %v, %v", rep.Findings, err)
		}
		if _, _, err := db.PublishPolicy(admin, "national.yaml", national); outbound.ErrorCode(err) != outbound.ECONFLICT {
			t.Fatalf("publish it twice: %v", err)
		}
		weak := []byte("kind: local\nid: blaine-sop\ncrossings: [\"3004\"]\neffective: 2026-02-01\nrules:\n" +
			"  - id: monthly\n    scope: {}\n    min_inspections: {count: 1, per: month}\n")
		_, rep, err = db.PublishPolicy(admin, "blaine.yaml", weak)
		if outbound.ErrorCode(err) != outbound.EUNPROCESSABLE || len(rep.Findings) != 1 || rep.Findings[0].Kind != "weaker-than-national" {
			t.Fatalf("publish a weaker local procedure: %+v, %v; want it refused with the finding", rep.Findings, err)
		}
		if all, _ := db.FindPolicies(admin); len(all) != 1 {
			t.Fatalf("%d policies stored; want only the national one", len(all))
		}

		// Laredo inspects on 2 of the 3 days; Blaine once in its week.
		sup := mustUser(t, db, "ana", outbound.Supervisor, "2304")
		in1 := inspection(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
		in2 := inspection(time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC))
		in2.Techniques, in2.Officers = []outbound.Technique{outbound.Physical}, []string{"B1"}
		if _, err := db.RecordInspections(sup, []outbound.Inspection{in1, in2}); err != nil {
			t.Fatal(err)
		}
		from, _ := outbound.ParseDate("2026-03-02")
		to, _ := outbound.ParseDate("2026-03-04")
		list, rollup, err := db.Compliance(admin, "", from, to)
		if err != nil || len(list) != 2 {
			t.Fatalf("compliance: %v, %v", list, err)
		}
		if c := list[0]; c.Crossing != "2304" || c.WindowsRequired != 3 || c.WindowsMet != 2 || c.FieldOffice != "Laredo" {
			t.Fatalf("Laredo: %+v", c)
		}
		if n := rollup[len(rollup)-1]; n.Level != "nation" || n.WindowsRequired != 3 {
			t.Fatalf("nation: %+v; want Laredo's 3 days (Blaine has no whole week in the period)", n)
		}
		checked, broken, err := db.CheckInspections(sup, "2304", from, to)
		if err != nil || checked != 2 || len(broken) != 1 || broken[0].ID != in2.ID.String() {
			t.Fatalf("checks: %d %+v %v; want the one-officer physical search", checked, broken, err)
		}
		node := mustUser(t, db, "node-2304", outbound.Node, "2304")
		ref, err := db.ReferenceFor(node, 0)
		if err != nil || len(ref.Policies) != 1 || ref.Policies[0].ID != "national-2026" {
			t.Fatalf("a node's reference data: %+v, %v; want the national policy", ref.Policies, err)
		}
	})
}
