package sqldb_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A rail inspection at Blaine by an officer without the rail course breaks
// the national policy; with it, it does not.
func TestTrainingOfTheOfficersNamed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		national, _ := os.ReadFile("../policy/testdata/policies/national.yaml")
		if _, _, err := db.PublishPolicy(testdb.System, "national.yaml", national); err != nil {
			t.Fatal(err)
		}
		day := func(s string) outbound.Date { d, _ := outbound.ParseDate(s); return d }
		course := outbound.TrainingRecord{ID: uuid.New(), Badge: "N7", Course: "rail-outbound", CompletedOn: day("2026-01-10"), ExpiresOn: day("2027-01-10")}
		if _, err := db.RecordTraining(mustUser(t, db, "sam", outbound.Supervisor, "3004"), []outbound.TrainingRecord{course}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor records training: %v", err)
		}
		res, err := db.RecordTraining(testdb.System, []outbound.TrainingRecord{course, course})
		if err != nil || res[0].Status != outbound.Created || res[1].Status != outbound.Replayed {
			t.Fatalf("record training twice: %+v, %v", res, err)
		}
		other := course
		other.ID = uuid.New()
		if res, _ = db.RecordTraining(testdb.System, []outbound.TrainingRecord{other}); res[0].Status != outbound.Conflict {
			t.Fatalf("the same course and day under another id: %+v", res[0])
		}
		// N8 has training on record, but not this course.
		if _, err := db.RecordTraining(testdb.System, []outbound.TrainingRecord{{ID: uuid.New(), Badge: "N8", Course: "nii-operation", CompletedOn: day("2025-05-01")}}); err != nil {
			t.Fatal(err)
		}
		rail := func(badge string) outbound.Inspection {
			in := inspection(time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC))
			in.Crossing, in.Modality, in.Officers = "3004", outbound.Rail, []string{badge}
			in.Techniques = []outbound.Technique{outbound.Interview}
			return in
		}
		trained, untrained := rail("N7"), rail("N8")
		if _, err := db.RecordInspections(testdb.System, []outbound.Inspection{trained, untrained}); err != nil {
			t.Fatal(err)
		}
		checked, broken, err := db.CheckInspections(testdb.System, "3004", day("2026-03-01"), day("2026-03-07"))
		if err != nil || checked != 2 || len(broken) != 1 || broken[0].ID != untrained.ID.String() ||
			broken[0].Violations[0].Message != "officer N8 has not completed rail-outbound" {
			t.Fatalf("checks = %d %+v, %v; want N8's inspection flagged", checked, broken, err)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify with training records: %+v, %v", rep, err)
		}
		mustExec(t, db, `UPDATE training SET expires_on = '2030-01-01'`)
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); rep.OK() {
			t.Fatal("verify missed a training record altered in place")
		}
	})
}

// Coverage counts the officers who inspected with a modality or technique
// and those with a valid course for it; expiring records are listed.
func TestTrainingCoverageAndExpiry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		day := func(s string) outbound.Date { d, _ := outbound.ParseDate(s); return d }
		var batch []outbound.Inspection
		for i, badges := range [][]string{{"B1", "B2"}, {"B1"}} {
			in := inspection(time.Date(2026, 3, 2+i, 15, 0, 0, 0, time.UTC))
			in.Modality, in.Officers = outbound.Truck, badges
			if i == 1 {
				in.Techniques = []outbound.Technique{outbound.NIIXray}
			}
			batch = append(batch, in)
		}
		if _, err := db.RecordInspections(testdb.System, batch); err != nil {
			t.Fatal(err)
		}
		records := []outbound.TrainingRecord{
			{ID: uuid.New(), Badge: "B1", Course: "trucks-outbound", CompletedOn: day("2025-01-01")},
			{ID: uuid.New(), Badge: "B2", Course: "trucks-outbound", CompletedOn: day("2024-01-01"), ExpiresOn: day("2026-01-01")},
			{ID: uuid.New(), Badge: "B1", Course: "nii-operation", CompletedOn: day("2025-04-01"), ExpiresOn: day("2026-04-01")},
		}
		if _, err := db.RecordTraining(testdb.System, records); err != nil {
			t.Fatal(err)
		}
		courses := map[string][]string{"truck": {"trucks-outbound"}, "nii_xray": {"nii-operation"}, "rail": {"rail-outbound"}}
		cov, exp, err := db.TrainingReport(testdb.System, day("2026-03-01"), day("2026-03-07"), courses, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(cov) != 2 || cov[0].AppliesTo != "nii_xray" || cov[0].Trained != 1 || cov[1].AppliesTo != "truck" || cov[1].Officers != 2 ||
			cov[1].Trained != 1 || len(cov[1].Untrained) != 1 || cov[1].Untrained[0] != "B2" {
			t.Fatalf("coverage: %+v", cov)
		}
		if len(exp) != 1 || exp[0].Badge != "B1" || exp[0].Course != "nii-operation" {
			t.Fatalf("expiring: %+v", exp)
		}
	})
}
