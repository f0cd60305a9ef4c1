package sqldb_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Daily records page newest day first, each exactly once, ties on the day
// broken by id.
func TestDailyRecordsPageNewestDayFirst(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		first, _ := outbound.ParseDate("2026-03-01")
		var batch []outbound.ExitCount
		for d := range 7 {
			for _, m := range []outbound.Modality{outbound.Truck, outbound.Bus, outbound.Pedestrian} {
				batch = append(batch, outbound.ExitCount{ID: uuid.New(), Crossing: "2304",
					Day: first.AddDays(d), Modality: m, Count: 100})
			}
		}
		if _, err := db.RecordExits(testdb.System, batch); err != nil {
			t.Fatal(err)
		}
		seen := map[uuid.UUID]bool{}
		last := first.AddDays(7)
		cursor := ""
		for pages := 1; ; pages++ {
			list, next, err := db.FindExits(testdb.System, outbound.Filter{Crossing: "2304", Limit: 4, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range list {
				if seen[e.ID] || last.Before(e.Day) {
					t.Fatalf("page %d: %s on %s repeats or is out of order", pages, e.ID, e.Day)
				}
				seen[e.ID], last = true, e.Day
			}
			if next == "" {
				if len(seen) != len(batch) || pages != 6 {
					t.Fatalf("listed %d of %d in %d pages; want all in 6", len(seen), len(batch), pages)
				}
				break
			}
			cursor = next
		}
	})
}
