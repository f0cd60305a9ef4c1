package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

func TestRecordCreateReplayConflict(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		in := inspection(time.Date(2026, 3, 1, 14, 5, 0, 0, time.FixedZone("CST", -6*3600)))
		in.Outcome = outbound.Seized
		in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 48000, Unit: "USD", ValueUSD: 48000}}

		res := mustRecord(t, db, in)
		if res[0].Status != outbound.Created {
			t.Fatalf("first record: %+v", res[0])
		}
		created := *res[0].Record
		if created.Version != 1 || created.OriginalID != in.ID || created.OfficerCount != 2 ||
			!created.ReceivedAt.Equal(clock) || created.LocalDay.String() != "2026-03-01" {
			t.Fatalf("server fields = %+v", created)
		}

		// The same content again, even with the time in another zone, is a replay.
		replay := in
		replay.StartedAt, replay.EndedAt = in.StartedAt.UTC(), in.EndedAt.UTC()
		db.Now = func() time.Time { return clock.Add(time.Hour) }
		res = mustRecord(t, db, replay)
		if res[0].Status != outbound.Replayed || !res[0].Record.ReceivedAt.Equal(clock) {
			t.Fatalf("replay: %+v", res[0])
		}
		stored, err := db.FindInspection(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*res[0].Record, stored); diff != "" {
			t.Fatalf("replay answer differs from the stored record (-replay +stored):\n%s", diff)
		}
		if stored.ContentHash() != in.ContentHash() {
			t.Fatal("a stored record must hash like the one the client sent")
		}

		other := in
		other.Notes = "changed"
		res = mustRecord(t, db, other)
		if res[0].Status != outbound.Conflict || res[0].Err.Code != outbound.ECONFLICT {
			t.Fatalf("same id, other content: %+v", res[0])
		}
		list, _, err := db.FindInspections(ctx, outbound.InspectionFilter{})
		if err != nil || len(list) != 1 || list[0].Notes != "" || len(list[0].Seizures) != 1 {
			t.Fatalf("after replay and conflict: %d inspections %v, %v; want the first one only", len(list), list, err)
		}
	})
}

func TestRecordBatchAnswersEachItemInOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		good := inspection(start)
		badModality := inspection(start)
		badModality.Modality = "boat"
		unknownCrossing := inspection(start)
		unknownCrossing.Crossing = "9999"
		badSeizure := inspection(start)
		badSeizure.Outcome = outbound.Seized
		badSeizure.Seizures = []outbound.Seizure{{Category: outbound.Firearms, Quantity: 0, Unit: "each"}}

		res := mustRecord(t, db, good, badModality, unknownCrossing, good, badSeizure)
		want := []struct {
			status outbound.Status
			field  string
		}{{outbound.Created, ""}, {outbound.Invalid, "modality"}, {outbound.Invalid, "crossing"},
			{outbound.Replayed, ""}, {outbound.Invalid, "seizures[0].quantity"}}
		for i, w := range want {
			got := res[i]
			field := ""
			if got.Err != nil {
				field = got.Err.Field
			}
			if got.Status != w.status || field != w.field {
				t.Errorf("item %d: %s %q; want %s %q (%v)", i, got.Status, field, w.status, w.field, got.Err)
			}
		}
		list, _, _ := db.FindInspections(testdb.System, outbound.InspectionFilter{})
		if len(list) != 1 {
			t.Fatalf("stored %d inspections; want 1", len(list))
		}
	})
}

func TestEditVoidAndStaleEdit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		v1 := inspection(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		mustRecord(t, db, v1)

		v2 := v1
		v2.ID, v2.Replaces, v2.Reason = uuid.New(), &v1.ID, "wrong modality"
		v2.Modality = outbound.Truck
		res := mustRecord(t, db, v2)
		if res[0].Status != outbound.Created || res[0].Record.Version != 2 || res[0].Record.OriginalID != v1.ID {
			t.Fatalf("edit: %+v", res[0])
		}

		stale := v1
		stale.ID, stale.Replaces, stale.Reason = uuid.New(), &v1.ID, "a second edit of v1"
		res = mustRecord(t, db, stale)
		if res[0].Status != outbound.Conflict || res[0].Err.Field != "replaces" {
			t.Fatalf("stale edit: %+v", res[0])
		}

		moved := v2
		moved.ID, moved.Replaces, moved.Crossing = uuid.New(), &v2.ID, "3004"
		if res = mustRecord(t, db, moved); res[0].Status != outbound.Invalid || res[0].Err.Field != "crossing" {
			t.Fatalf("edit to another crossing: %+v", res[0])
		}

		list, _, _ := db.FindInspections(ctx, outbound.InspectionFilter{})
		if len(list) != 1 || list[0].ID != v2.ID || list[0].Modality != outbound.Truck {
			t.Fatalf("current versions = %+v; want v2 only", list)
		}

		void := v2
		void.ID, void.Replaces, void.Reason, void.Voided = uuid.New(), &v2.ID, "entered twice", true
		if res = mustRecord(t, db, void); res[0].Status != outbound.Created || res[0].Record.Version != 3 {
			t.Fatalf("void: %+v", res[0])
		}
		if list, _, _ = db.FindInspections(ctx, outbound.InspectionFilter{}); len(list) != 0 {
			t.Fatalf("after void: %d current inspections; want 0", len(list))
		}
		list, _, _ = db.FindInspections(ctx, outbound.InspectionFilter{IncludeVoided: true})
		if len(list) != 1 || !list[0].Voided {
			t.Fatalf("with voided: %+v", list)
		}
		// Every version stays readable.
		if old, err := db.FindInspection(ctx, v1.ID); err != nil || old.Modality != outbound.PersonalVehicle {
			t.Fatalf("version 1: %+v, %v", old, err)
		}
	})
}

func TestLocalDayIsTheCrossingsDay(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		// 03:00 UTC on March 2 is still March 1 in Laredo (UTC-6).
		in := inspection(time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
		mustRecord(t, db, in)
		day, _ := outbound.ParseDate("2026-03-01")
		list, _, err := db.FindInspections(testdb.System, outbound.InspectionFilter{
			Filter: outbound.Filter{Crossing: "2304", From: day, To: day}})
		if err != nil || len(list) != 1 {
			t.Fatalf("inspections on 2026-03-01 at Laredo: %v, %v; want 1", list, err)
		}
		list, _, _ = db.FindInspections(testdb.System, outbound.InspectionFilter{
			Filter: outbound.Filter{Crossing: "3004"}})
		if len(list) != 0 {
			t.Fatalf("inspections at Blaine: %d; want 0", len(list))
		}
	})
}

func TestPagesNeitherRepeatNorSkipWhileInserting(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		base := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		var batch []outbound.Inspection
		want := map[uuid.UUID]bool{}
		for i := range 250 {
			in := inspection(base.Add(time.Duration(i%50) * time.Hour)) // ties on started_at
			batch = append(batch, in)
			want[in.ID] = true
		}
		mustRecord(t, db, batch...)
		seen := map[uuid.UUID]bool{}
		cursor := ""
		for page := 0; ; page++ {
			list, next, err := db.FindInspections(ctx, outbound.InspectionFilter{Filter: outbound.Filter{Limit: 40, Cursor: cursor}})
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range list {
				if seen[in.ID] {
					t.Fatalf("page %d repeats %s", page, in.ID)
				}
				seen[in.ID] = true
			}
			// Others keep recording, before and after the cursor.
			mustRecord(t, db, inspection(base.Add(-time.Hour)), inspection(base.Add(100*time.Hour)))
			if next == "" {
				break
			}
			cursor = next
		}
		for id := range want {
			if !seen[id] {
				t.Fatalf("inspection %s was never listed", id)
			}
		}
		if _, _, err := db.FindInspections(ctx, outbound.InspectionFilter{Filter: outbound.Filter{Cursor: "nonsense"}}); outbound.ErrorField(err) != "cursor" {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func mustRecord(t *testing.T, db *sqldb.DB, batch ...outbound.Inspection) []outbound.RecordResult[outbound.Inspection] {
	t.Helper()
	res, err := db.RecordInspections(testdb.System, batch)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestAnEditMayFollowItsVersionInOneBatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		for range 20 { // ids are random: an edit's id sorts before its base's about half the time
			v1 := inspection(time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC))
			v2 := v1
			v2.ID, v2.Replaces, v2.Reason = uuid.New(), &v1.ID, "corrected at once"
			v3 := v2
			v3.ID, v3.Replaces, v3.Voided = uuid.New(), &v2.ID, true
			res := mustRecord(t, db, v1, v2, v3)
			for i, r := range res {
				if r.Status != outbound.Created || r.Record.Version != i+1 {
					t.Fatalf("item %d: %+v", i, r)
				}
			}
		}
	})
}
