package bts_test

import (
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/bts"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

func importFile(t *testing.T, db *sqldb.DB, path string) (outbound.ImportStats, *bts.Reader) {
	t.Helper()
	r, err := openReader(t, path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.ImportVolumes(testdb.System, r.All())
	if err != nil {
		t.Fatal(err)
	}
	return st, r
}

// openReader opens a BTS file, closed when the test ends, and reads its header.
func openReader(t *testing.T, path string) (*bts.Reader, error) {
	t.Helper()
	f, err := bts.Open(path)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { f.Close() })
	return bts.NewReader(f)
}

func countByBorder(t *testing.T, db *sqldb.DB) map[outbound.Border]int {
	t.Helper()
	cs, err := db.FindCrossings(testdb.System)
	if err != nil {
		t.Fatal(err)
	}
	n := map[outbound.Border]int{}
	for _, c := range cs {
		n[c.Border]++
	}
	return n
}

// The facts below were computed from the published files with an
// independent script (Python's csv module), not with this package.
func TestImportFullHistoryZip(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 375k rows")
	}
	path := testdb.Shared(t, "Border_Crossing_Entry_Data.zip")
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn)
		st, r := importFile(t, db, path)
		skipped := 0
		for _, n := range r.Skipped {
			skipped += n
		}
		// 375,612 rows: 15 at non-land ports, 11 exact repeats of a key.
		if st.Rows != 375_597 || skipped != 15 || st.Ports != 117 || st.Written != 375_586 || st.Changed != 0 {
			t.Fatalf("import = %+v, skipped %d; want 375597 rows, 15 skipped, 117 ports, 375586 new", st, skipped)
		}
		if n := countByBorder(t, db); n[outbound.Southwest] != 28 || n[outbound.Northern] != 89 {
			t.Fatalf("crossings by border = %v; want 28 southwest, 89 northern", n)
		}
		from, _ := outbound.ParseDate("2019-01-01")
		to, _ := outbound.ParseDate("2019-12-01")
		vs, err := db.FindVolumes(testdb.System, "2304", from, to)
		if err != nil {
			t.Fatal(err)
		}
		var pv int64
		for _, v := range vs {
			if v.Measure == "Personal Vehicles" {
				pv += v.Value
			}
		}
		if pv != 5_109_938 {
			t.Fatalf("Laredo personal vehicles in 2019 = %d; want 5109938", pv)
		}
		again, _ := importFile(t, db, path)
		if again.Written != 0 || again.Changed != 0 || again.Unchanged != again.Rows {
			t.Fatalf("re-import = %+v; want nothing written", again)
		}
	})
}

func TestImport2024AddsCoordinates(t *testing.T) {
	path := testdb.Shared(t, "Border_Crossing_Entry_Data_2024.csv")
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn)
		st, _ := importFile(t, db, path)
		if st.Rows != 7579 || st.Ports != 111 || st.Written != 7579 || st.Changed != 0 {
			t.Fatalf("import = %+v; want 7579 new rows of 111 ports", st)
		}
		if n := countByBorder(t, db); n[outbound.Southwest] != 28 || n[outbound.Northern] != 83 {
			t.Fatalf("crossings by border = %v; want 28 southwest, 83 northern", n)
		}
		c, err := db.FindCrossing(testdb.System, "2304")
		if err != nil || c.Latitude == nil || *c.Latitude != 27.5 || *c.Longitude != -99.507 {
			t.Fatalf("Laredo = %+v, %v; want its coordinates 27.5, -99.507", c, err)
		}
		var trucks int64
		from, _ := outbound.ParseDate("2024-01-01")
		to, _ := outbound.ParseDate("2024-12-01")
		vs, _ := db.FindVolumes(testdb.System, "2304", from, to)
		for _, v := range vs {
			if v.Measure == "Trucks" {
				trucks += v.Value
			}
		}
		if trucks != 2_563_112 {
			t.Fatalf("Laredo trucks Jan-Oct 2024 = %d; want 2563112", trucks)
		}
	})
}

func TestImportFailingRowKeepsNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn)
		data := "Port Name,State,Port Code,Border,Date,Measure,Value\n" +
			"Laredo,Texas,2304,US-Mexico Border,Jan 2024,Trucks,10\n" +
			"Laredo,Texas,2304,US-Mexico Border,Feb 2024,Trucks,oops\n"
		r, err := bts.NewReader(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportVolumes(testdb.System, r.All())
		if err == nil || outbound.ErrorField(err) != "Value" {
			t.Fatalf("import error = %v; want one naming column Value", err)
		}
		if cs, _ := db.FindCrossings(testdb.System); len(cs) != 0 {
			t.Fatalf("a failed import kept %d crossings", len(cs))
		}
	})
}
