package sqldb_test

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/policy"
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

// Compliance from the daily rollups (for rules that need only daily totals)
// and from the inspections themselves (for rules on hours, techniques, ...)
// agree with the policy package's own computation.
func TestComplianceFromRollupsAndFromInspections(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		src := []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
			"  - id: daily-trucks\n    scope: {border: southwest, modalities: [truck]}\n    min_inspections: {count: 1, per: day}\n" +
			"  - id: weekly\n    scope: {}\n    min_inspections: {count: 2, per: week}\n")
		night := []byte("kind: local\nid: laredo-nights\ncrossings: [\"2304\"]\neffective: 2026-01-01\nrules:\n" +
			"  - id: nights\n    scope: {hours: \"22:00-06:00\"}\n    min_inspections: {count: 1, per: day}\n")
		var batch []outbound.Inspection
		for i := range 40 {
			in := inspection(time.Date(2026, 3, 2+i%14, (i*5)%24, 0, 0, 0, time.UTC))
			in.Crossing = []string{"2304", "3004"}[i%2]
			if i%3 == 0 {
				in.Modality = outbound.Truck
			}
			batch = append(batch, in)
		}
		db.Now = func() time.Time { return time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }
		res, err := db.RecordInspections(testdb.System, batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != outbound.Created {
				t.Fatalf("setup: %+v", r)
			}
		}
		from, _ := outbound.ParseDate("2026-03-02")
		to, _ := outbound.ParseDate("2026-03-15")
		for _, docs := range [][]byte{src, night} {
			if _, _, err := db.PublishPolicy(testdb.System, "p.yaml", docs); err != nil {
				t.Fatal(err)
			}
			got, _, err := db.Compliance(testdb.System, "", from, to)
			if err != nil {
				t.Fatal(err)
			}
			published, _ := db.FindPolicies(testdb.System)
			reg, _ := db.PolicyRegistry(testdb.System)
			for _, c := range got {
				var mine []outbound.Inspection
				for _, in := range batch {
					if in.Crossing == c.Crossing {
						mine = append(mine, in)
					}
				}
				want := policy.FrequencyCompliance(published, reg[c.Crossing], from, to, mine)
				if diff := cmp.Diff(want, c); diff != "" {
					t.Fatalf("%s: from the database (+) differs from the policy package (-):\n%s", c.Crossing, diff)
				}
			}
		}
	})
}

// The compliance report, which judges windows from the monthly rollups'
// sums and day masks, agrees window for window with the policy package
// counting the current inspections themselves, for rules of every shape,
// after random edits and voids, over a period with partial months at both
// ends.
func TestComplianceReportAgreesWithTheInspections(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		src := []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
			"  - id: daily\n    scope: {border: southwest}\n    min_inspections: {count: 1, per: day}\n" +
			"  - id: trucks-weekly\n    scope: {modalities: [truck]}\n    min_inspections: {count: 1, per: week}\n" +
			"  - id: busy-days\n    scope: {crossings: [\"2304\"], modalities: [personal_vehicle, pedestrian]}\n    min_inspections: {count: 2, per: day}\n" +
			"  - id: north-weekly\n    scope: {border: northern}\n    min_inspections: {count: 3, per: week}\n" +
			"  - id: monthly\n    scope: {}\n    min_inspections: {count: 40, per: month}\n")
		if _, rep, err := db.PublishPolicy(testdb.System, "n.yaml", src); err != nil {
			t.Fatal(rep.Findings, err)
		}
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
		r := rand.New(rand.NewPCG(3, 4))
		var current []outbound.Inspection
		var batch []outbound.Inspection
		first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for day := range 120 {
			for _, code := range []string{"2304", "3004"} {
				for range r.IntN(4) {
					in := inspection(first.AddDate(0, 0, day).Add(time.Duration(r.IntN(24*60)) * time.Minute))
					in.Crossing, in.Modality = code, outbound.Modalities[r.IntN(len(outbound.Modalities))]
					current = append(current, in)
					batch = append(batch, in)
				}
			}
		}
		for range 60 { // edits that move an inspection or change its modality, and voids
			i := r.IntN(len(current))
			prev := current[i]
			in := prev
			in.ID, in.Replaces, in.Reason = uuid.New(), &prev.ID, "correction"
			switch r.IntN(3) {
			case 0:
				in.Voided = true
			case 1:
				in.StartedAt = in.StartedAt.AddDate(0, 0, r.IntN(7)-3)
				in.EndedAt = in.StartedAt.Add(12 * time.Minute)
			default:
				in.Modality = outbound.Modalities[r.IntN(len(outbound.Modalities))]
			}
			current[i] = in
			batch = append(batch, in)
		}
		for start := 0; start < len(batch); start += 200 {
			res, err := db.RecordInspections(testdb.System, batch[start:min(start+200, len(batch))])
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range res {
				if x.Status != outbound.Created {
					t.Fatalf("setup: %+v", x)
				}
			}
		}
		published, _ := db.FindPolicies(testdb.System)
		reg, _ := db.PolicyRegistry(testdb.System)
		from, to := outbound.Date{Year: 2026, Month: 1, Day: 13}, outbound.Date{Year: 2026, Month: 4, Day: 22}
		rep, err := db.Report(testdb.System, "compliance", outbound.ReportFilter{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		cov, err := db.Report(testdb.System, "coverage", outbound.ReportFilter{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rep.Rows {
			code := row.Get("crossing").(string)
			var mine []outbound.Inspection
			for _, in := range current {
				if in.Crossing == code && !in.Voided {
					mine = append(mine, in)
				}
			}
			// Days inspected, inside the period only (its first and last
			// months are partial), from the masks of both reports.
			days, truckDays := map[outbound.Date]bool{}, map[outbound.Date]bool{}
			for _, in := range mine {
				if d := outbound.DateOf(in.StartedAt.In(mustZone(t, reg[code].TimeZone))); !d.Before(from) && !to.Before(d) {
					days[d] = true
					if in.Modality == outbound.Truck {
						truckDays[d] = true
					}
				}
			}
			if got := cov.Rows[i].Get("days_inspected_by_modality").(outbound.Row).Get("truck"); got != int64(len(truckDays)) {
				t.Errorf("%s: %v days with truck inspections; the inspections say %d", code, got, len(truckDays))
			}
			if row.Get("days_inspected") != len(days) || cov.Rows[i].Get("days_inspected") != len(days) {
				t.Errorf("%s: days inspected %v (compliance) and %v (coverage); the inspections say %d", code,
					row.Get("days_inspected"), cov.Rows[i].Get("days_inspected"), len(days))
			}
			want := policy.FrequencyCompliance(published, reg[code], from, to, mine)
			if want.WindowsMet == 0 || want.WindowsMet == want.WindowsRequired {
				t.Fatalf("%s: %d of %d windows met; the data should meet some and miss some", code, want.WindowsMet, want.WindowsRequired)
			}
			if row.Get("windows_required") != want.WindowsRequired || row.Get("windows_met") != want.WindowsMet {
				t.Errorf("%s: the report has %v of %v windows met; the inspections say %d of %d", code,
					row.Get("windows_met"), row.Get("windows_required"), want.WindowsMet, want.WindowsRequired)
			}
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
