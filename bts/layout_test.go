package bts_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/bts"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// layouts are fixtures written for these tests, one per layout of the file
// that docs/import.md lists. Each holds the same volumes of the same four
// ports (Laredo, El Paso, Alexandria Bay, Blaine) in January and February
// 2019, and one Boston row, which is skipped.
var layouts = []struct {
	file        string
	coordinates bool
}{
	{"current.csv", false},
	{"coordinates-2024.csv", true},
	{"location-point-2019.csv", true},
	{"state-abbreviation-1996-2018.csv", true},
	{"iso-month.csv", false},
}

func layout(name string) string { return filepath.Join("testdata", "layouts", name) }

// read is what a file says: each volume by port, month and measure, and
// each port as the first of its rows gives it.
type read struct {
	volumes map[string]int64
	ports   map[string]outbound.Port
	skipped map[string]int
}

func readFile(t *testing.T, path string) read {
	t.Helper()
	r, err := openReader(t, path)
	if err != nil {
		t.Fatal(err)
	}
	got := read{volumes: map[string]int64{}, ports: map[string]outbound.Port{}}
	for row, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		v := row.Volume
		got.volumes[fmt.Sprintf("%s %s %s", v.PortCode, v.Month, v.Measure)] = v.Value
		if _, ok := got.ports[v.PortCode]; !ok {
			got.ports[v.PortCode] = row.Port
		}
	}
	got.skipped = r.Skipped
	return got
}

func TestEveryLayoutReadsTheSameVolumes(t *testing.T) {
	want := readFile(t, layout("current.csv"))
	if len(want.volumes) != 16 || len(want.ports) != 4 || want.volumes["2402 2019-01-01 Trucks"] != 1203 ||
		want.ports["2402"].TimeZone != "America/Denver" || want.ports["0708"].State != "New York" {
		t.Fatalf("current layout read %v, ports %v", want.volumes, want.ports)
	}
	coords := readFile(t, layout("coordinates-2024.csv")).ports
	for _, l := range layouts {
		t.Run(l.file, func(t *testing.T) {
			got := readFile(t, layout(l.file))
			if d := cmp.Diff(want.volumes, got.volumes); d != "" {
				t.Errorf("volumes differ from the current layout's (-want +got):\n%s", d)
			}
			if got.skipped["0401"] != 1 {
				t.Errorf("skipped %v; want Boston's one row", got.skipped)
			}
			wantPorts := want.ports
			if l.coordinates {
				wantPorts = coords
			}
			if d := cmp.Diff(wantPorts, got.ports); d != "" {
				t.Errorf("ports differ (-want +got):\n%s", d)
			}
		})
	}
	if la := coords["2304"].Latitude; la == nil || *la != 27.5 || *coords["2304"].Longitude != -99.507 {
		t.Errorf("Laredo at %v, %v; want 27.5, -99.507", coords["2304"].Latitude, coords["2304"].Longitude)
	}
}

// appleDouble is the start of a resource file that a Mac's zip adds next
// to each file (__MACOSX/._NAME): binary, though its name ends in .csv.
const appleDouble = "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09"

func TestOpenPassesOverAMacsResourceFiles(t *testing.T) {
	data, err := os.ReadFile(layout("iso-month.csv"))
	if err != nil {
		t.Fatal(err)
	}
	path := testdb.Zip(t,
		[2]string{"Border_Crossing_Entry_Data/Border_Crossing_Entry_Data.csv", string(data)},
		[2]string{"__MACOSX/Border_Crossing_Entry_Data/._Border_Crossing_Entry_Data.csv", appleDouble},
		[2]string{"Border_Crossing_Entry_Data/._notes.csv", appleDouble})
	got := readFile(t, path)
	if d := cmp.Diff(readFile(t, layout("current.csv")).volumes, got.volumes); d != "" {
		t.Errorf("volumes (-want +got):\n%s", d)
	}
	f, err := bts.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if f.Member != "Border_Crossing_Entry_Data/Border_Crossing_Entry_Data.csv" {
		t.Errorf("read %q", f.Member)
	}
	_, err = bts.Open(testdb.Zip(t, [2]string{"__MACOSX/._data.csv", appleDouble}))
	if err == nil || !strings.Contains(err.Error(), "the zip holds no .csv file") {
		t.Errorf("a zip of resource files only: %v", err)
	}
}

func importPath(t *testing.T, db *sqldb.DB, path string) (outbound.ImportStats, error) {
	t.Helper()
	r, err := openReader(t, path)
	if err != nil {
		return outbound.ImportStats{}, err
	}
	return db.ImportVolumes(testdb.System, r.All())
}

// stored is every volume of the fixtures' ports, as read keys them.
func stored(t *testing.T, db *sqldb.DB) map[string]int64 {
	t.Helper()
	from, _ := outbound.ParseDate("1990-01-01")
	to, _ := outbound.ParseDate("2099-12-01")
	got := map[string]int64{}
	for _, code := range []string{"2304", "2402", "0708", "3004"} {
		vs, err := db.FindVolumes(testdb.System, code, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			got[fmt.Sprintf("%s %s %s", v.PortCode, v.Month, v.Measure)] = v.Value
		}
	}
	return got
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLaterImportWinsAcrossLayouts(t *testing.T) {
	current, err := os.ReadFile(layout("current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// El Paso's trucks in January 2019, revised by a later release.
	revised := writeTemp(t, "revised.csv", strings.Replace(string(current), "Jan 2019,Trucks,1203", "Jan 2019,Trucks,1250", 1))
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn)
		old := layout("state-abbreviation-1996-2018.csv")
		st, err := importPath(t, db, old)
		if err != nil || st.Written != 16 || st.Changed != 0 {
			t.Fatalf("old layout: %+v, %v; want 16 new", st, err)
		}
		st, err = importPath(t, db, revised)
		if err != nil || st.Rows != 16 || st.Written != 1 || st.Changed != 1 || st.Unchanged != 15 {
			t.Fatalf("current layout, one value revised: %+v, %v; want 1 changed, 15 unchanged", st, err)
		}
		want := readFile(t, revised).volumes
		if d := cmp.Diff(want, stored(t, db)); d != "" || want["2402 2019-01-01 Trucks"] != 1250 {
			t.Fatalf("stored (-want +got):\n%s", d)
		}
		if c, err := db.FindCrossing(testdb.System, "2304"); err != nil || c.Latitude == nil || *c.Latitude != 27.5 {
			t.Fatalf("Laredo = %+v, %v: a file without coordinates keeps those stored", c, err)
		}
		// The old release imported again is the later import: it wins.
		st, err = importPath(t, db, old)
		if err != nil || st.Written != 1 || st.Changed != 1 {
			t.Fatalf("old layout again: %+v, %v; want 1 changed", st, err)
		}
		if got := stored(t, db)["2402 2019-01-01 Trucks"]; got != 1203 {
			t.Fatalf("El Paso trucks = %d; want the old release's 1203 back", got)
		}
	})
}

func TestBadValuesAreRefusedNamingLineAndColumn(t *testing.T) {
	cases := []struct {
		name, file, old, new, column string
	}{
		{"negative", "current.csv", "Trucks,998", "Trucks,-998", "Value"},
		{"not a number", "current.csv", "Trucks,998", "Trucks,n/a", "Value"},
		{"decimal", "current.csv", "Trucks,998", "Trucks,998.0", "Value"},
		{"too large", "current.csv", "Trucks,998", "Trucks,1000000001", "Value"},
		// A comma that does not separate thousands is refused: read as
		// 12345 or as 12 and 345, it would invent a count.
		{"commas not between thousands", "state-abbreviation-1996-2018.csv", `"654,300"`, `"6,54,300"`, "Value"},
		{"short group", "iso-month.csv", `"654,300"`, `"65,4300"`, "Value"},
		{"leading comma", "iso-month.csv", `"654,300"`, `",654,300"`, "Value"},
		{"unknown date format", "iso-month.csv", "2402,US-Mexico Border,2019-02,Trucks", "2402,US-Mexico Border,2019/02,Trucks", "Date"},
		{"not the first of the month", "location-point-2019.csv", "02/01/2019 12:00:00 AM,Trucks,998", "02/15/2019 12:00:00 AM,Trucks,998", "Date"},
		{"not midnight", "state-abbreviation-1996-2018.csv", "02/01/2019 12:00:00 AM,Trucks", "02/01/2019 12:00:00 PM,Trucks", "Date"},
		{"year out of range", "current.csv", "Feb 2019,Trucks,998", "Feb 1066,Trucks,998", "Date"},
		{"location without a point", "state-abbreviation-1996-2018.csv", "\"El Paso\nTX\n(31.764, -106.451)\"", "\"El Paso\nTX\"", "Location"},
		{"latitude out of range", "state-abbreviation-1996-2018.csv", "\"El Paso\nTX\n(31.764, -106.451)\"", "\"El Paso\nTX\n(131.764, -106.451)\"", "Location"},
		{"point with latitude and longitude swapped", "location-point-2019.csv", "POINT (-106.451 31.764)", "POINT (31.764 -106.451)", "Location"},
		{"point not a number", "location-point-2019.csv", "POINT (-106.451 31.764)", "POINT (-106.451 NaN)", "Location"},
		{"latitude not a number", "coordinates-2024.csv", ",998,31.764,-106.451,", ",998,north,-106.451,", "Latitude"},
		{"state abbreviation unknown", "state-abbreviation-1996-2018.csv", "Blaine,WA,", "Blaine,KS,", "State Abbreviation"},
	}
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := testdb.Open(t, dsn)
		if _, err := importPath(t, db, layout("current.csv")); err != nil {
			t.Fatal(err)
		}
		want := stored(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data, err := os.ReadFile(layout(c.file))
				if err != nil {
					t.Fatal(err)
				}
				at := strings.Index(string(data), c.old)
				if at < 0 {
					t.Fatalf("%s has no %q", c.file, c.old)
				}
				line := 1 + strings.Count(string(data[:at]), "\n") // where the row starts
				bad := strings.Replace(string(data), c.old, c.new, 1)
				// Rows before the bad one would change a stored value.
				bad = strings.Replace(strings.Replace(bad, ",488120", ",488121", 1), `"488,120"`, `"488,121"`, 1)
				_, err = importPath(t, db, writeTemp(t, c.file, bad))
				where := fmt.Sprintf("line %d, column %s: ", line, c.column)
				if err == nil || !strings.Contains(err.Error(), where) || outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) != c.column {
					t.Fatalf("error = %v (field %q); want invalid with %q", err, outbound.ErrorField(err), where)
				}
				if d := cmp.Diff(want, stored(t, db)); d != "" {
					t.Fatalf("a refused file changed the volumes (-want +got):\n%s", d)
				}
			})
		}
	})
}

func TestHeaderOfAnUnknownLayoutIsRefusedNamingWhatItLacks(t *testing.T) {
	cases := []struct{ name, header, want, field string }{
		{"renamed columns", "Port,State,Port Code,Border,Month,Measure,Count",
			`line 1: the header has no "Port Name", "Date", "Value" columns; a BTS file has at least Port Name, State, Port Code, Border, Date, Measure, Value (State may be State Abbreviation)`, "Port Name"},
		{"no state", "Port Name,Province,Port Code,Border,Date,Measure,Value", `the header has no "State" column`, "State"},
		{"latitude alone", "Port Name,State,Port Code,Border,Date,Measure,Value,Latitude", `line 1: the header has a "Latitude" column but no "Longitude"`, "Longitude"},
		{"a column twice", "Port Name,State,Port Code,Border,Date,Measure,Value,value", `line 1: the header has "value" twice (columns 7 and 8)`, "value"},
		{"an alias twice", "Port Name,State Abbreviation,Port Code,Border,Date,Measure,Value,State Abbreviation", `"State Abbreviation" twice`, "State Abbreviation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := bts.NewReader(strings.NewReader(c.header + "\n"))
			if err == nil || !strings.Contains(err.Error(), c.want) || outbound.ErrorField(err) != c.field {
				t.Fatalf("error = %v (field %q); want %q naming %q", err, outbound.ErrorField(err), c.want, c.field)
			}
		})
	}
}

func TestAHeaderWithStateAndItsAbbreviationReadsState(t *testing.T) {
	rows, _, err := readAll(t, "State Abbreviation,Port Name,Port Code,Border,Date,Measure,Value,State\n"+
		"XX,Laredo,2304,US-Mexico Border,Jan 2019,Trucks,\"1,000\",Texas\n")
	if err != nil || len(rows) != 1 || rows[0].Port.State != "Texas" || rows[0].Volume.Value != 1000 {
		t.Fatalf("rows %+v, %v; want Texas from State, 1000", rows, err)
	}
}
