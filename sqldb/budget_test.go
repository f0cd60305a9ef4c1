package sqldb_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A fiscal year's request measures each practice from the year before:
// techniques given in any order are one practice, an edit counts as its
// latest version, a void nowhere; the policy's officer minimum is set on
// each practice; a crossing with no inspections takes the nation's mix.
func TestBudgetSitesMeasurePractices(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		src := []byte("kind: national\nid: n\neffective: 2025-01-01\nrules:\n" +
			"  - id: sw-daily\n    scope: {border: southwest}\n    min_inspections: {count: 1, per: day}\n" +
			"  - id: north-weekly\n    scope: {border: northern}\n    min_inspections: {count: 1, per: week}\n" +
			"  - id: physical-three\n    scope: {border: southwest, techniques: [physical]}\n    officers: {min: 3}\n")
		if _, _, err := db.PublishPolicy(testdb.System, "n.yaml", src); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)
		make := func(minutes int, officers []string, modality outbound.Modality, techniques ...outbound.Technique) outbound.Inspection {
			in := inspection(at)
			at = at.Add(24 * time.Hour)
			in.EndedAt, in.Officers, in.Modality, in.Techniques = in.StartedAt.Add(time.Duration(minutes)*time.Minute), officers, modality, techniques
			return in
		}
		two, four := []string{"B1", "B2"}, []string{"B1", "B2", "B3", "B4"}
		edited := make(60, two, outbound.Pedestrian, outbound.Interview)
		voided := make(90, two, outbound.Bus, outbound.Visual)
		batch := []outbound.Inspection{
			make(12, two, outbound.PersonalVehicle, outbound.Interview, outbound.Physical),
			make(12, two, outbound.PersonalVehicle, outbound.Interview, outbound.Physical),
			make(24, four, outbound.PersonalVehicle, outbound.Physical, outbound.Interview),
			make(30, []string{"B1"}, outbound.Truck, outbound.NIIXray),
			edited, voided,
		}
		fix, void := edited, voided
		fix.ID, fix.Replaces, fix.Reason, fix.EndedAt = uuid.New(), &edited.ID, "ended earlier", edited.StartedAt.Add(6*time.Minute)
		void.ID, void.Replaces, void.Reason, void.Voided = uuid.New(), &voided.ID, "entered twice", true
		mustRecord(t, db, batch...)
		mustRecord(t, db, fix, void)

		sites, err := db.BudgetSites(testdb.System, 2027)
		if err != nil {
			t.Fatal(err)
		}
		if len(sites) != 2 {
			t.Fatalf("%d sites; want Laredo and Blaine", len(sites))
		}
		laredo, blaine := sites[0], sites[1]
		if laredo.Crossing != "2304" {
			laredo, blaine = blaine, laredo
		}
		want := []budget.Practice{
			{Modality: "personal_vehicle", Techniques: "interview+physical", Count: 3, Minutes: 16, Officers: 8.0 / 3, Required: 3},
			{Modality: "pedestrian", Techniques: "interview", Count: 1, Minutes: 6, Officers: 2},
			{Modality: "truck", Techniques: "nii_xray", Count: 1, Minutes: 30, Officers: 1},
		}
		near := cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-6 })
		if d := cmp.Diff(want, laredo.Practices, near); d != "" || laredo.MixBasis != "crossing" {
			t.Fatalf("Laredo's practices (-want +got):\n%s (basis %s)", d, laredo.MixBasis)
		}
		if laredo.Minimum != 365 || laredo.Windows != 365 {
			t.Fatalf("Laredo's minimum in FY2027: %d in %d windows; want a day each", laredo.Minimum, laredo.Windows)
		}
		// Blaine inspected nothing: the nation's mix, with the northern
		// border's requirements (no officer minimum there).
		for i := range want {
			want[i].Required = 0
		}
		if d := cmp.Diff(want, blaine.Practices, near); d != "" || blaine.MixBasis != "national" || blaine.Windows != 51 { // full Monday-to-Sunday weeks: 5 October to 26 September
			t.Fatalf("Blaine (-want +got):\n%s (basis %s, %d windows)", d, blaine.MixBasis, blaine.Windows)
		}
		// A supervisor of Laredo sees Laredo only.
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		if got, err := db.BudgetSites(sup, 2027); err != nil || len(got) != 1 || got[0].Crossing != "2304" {
			t.Fatalf("a Laredo supervisor's request: %+v, %v", got, err)
		}
	})
}
