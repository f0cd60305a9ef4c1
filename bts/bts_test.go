package bts_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/bts"
	"github.com/outbound-oss/outbound/internal/testdb"
)

func readAll(t *testing.T, data string) ([]outbound.VolumeRow, *bts.Reader, error) {
	t.Helper()
	r, err := bts.NewReader(strings.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	var rows []outbound.VolumeRow
	for row, err := range r.All() {
		if err != nil {
			return rows, r, err
		}
		rows = append(rows, row)
	}
	return rows, r, nil
}

func TestReadsColumnsByNameInAnyOrder(t *testing.T) {
	data, err := os.ReadFile("testdata/reordered.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, r, err := readAll(t, string(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || r.Skipped["0401"] != 1 {
		t.Fatalf("read %d rows, skipped %v; want 4 land rows and Boston skipped", len(rows), r.Skipped)
	}
	first := rows[0]
	if first.Port.Code != "2406" || first.Port.Border != outbound.Southwest || first.Port.TimeZone != "America/Denver" ||
		first.Port.Latitude == nil || *first.Port.Latitude != 31.784 || first.Volume.Value != 1607 ||
		first.Volume.Month.String() != "2024-01-01" || first.Volume.Measure != "Trucks" || first.Line != 2 {
		t.Fatalf("first row = %+v %+v", first.Port, first.Volume)
	}
	if rows[1].Port.Code != "0708" || rows[2].Port.Code != "0708" {
		t.Fatalf("708 and 0708 must be one port: %q, %q", rows[1].Port.Code, rows[2].Port.Code)
	}
	if rows[1].Port.Latitude != nil {
		t.Fatal("empty coordinates must stay unknown")
	}
}

func TestErrorsNameLineAndColumn(t *testing.T) {
	header := "Port Name,State,Port Code,Border,Date,Measure,Value\n"
	good := "Laredo,Texas,2304,US-Mexico Border,Jan 2024,Trucks,10\n"
	cases := []struct{ name, data, want string }{
		{"missing column", "Port Name,State,Port Code,Border,Date,Measure\n", `line 1: the header has no "Value" column`},
		{"bad value", header + good + "Laredo,Texas,2304,US-Mexico Border,Jan 2024,Trucks,ten\n", `line 3, column Value: "ten" is not a count`},
		{"bad month", header + "Laredo,Texas,2304,US-Mexico Border,2024/01,Trucks,1\n", `line 2, column Date`},
		{"bad border", header + "Laredo,Texas,2304,Gulf,Jan 2024,Trucks,1\n", `line 2, column Border`},
		{"bad port", header + "Laredo,Texas,23X4,US-Mexico Border,Jan 2024,Trucks,1\n", `line 2, column Port Code`},
		{"unknown state", header + "Nowhere,Kansas,2399,US-Mexico Border,Jan 2024,Trucks,1\n", `line 2, column State`},
		{"short row", header + good + "Laredo,Texas\n", `line 3: wrong number of fields`},
		{"quote", header + "\"Laredo,Texas,2304\n", `line 2`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readAll(t, c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) || outbound.ErrorCode(err) != outbound.EINVALID {
				t.Fatalf("error = %v; want invalid containing %q", err, c.want)
			}
		})
	}
}

func TestOpenReadsZipAndCSV(t *testing.T) {
	f, err := bts.Open("testdata/reordered.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size == 0 || f.Member != "" {
		t.Fatalf("size %d, member %q: the size of a CSV must be known for progress, and it is no zip's member", f.Size, f.Member)
	}
	if _, err := bts.Open("testdata/missing.csv"); err == nil {
		t.Fatal("a missing file must fail")
	}
}

// FuzzReader checks that no input panics, that every error names a line,
// and that every row read holds what a row may hold. The seeds are a file
// of each layout.
func FuzzReader(f *testing.F) {
	data, _ := os.ReadFile("testdata/reordered.csv")
	f.Add(data)
	f.Add([]byte("Port Name,State,Port Code,Border,Date,Measure,Value\nA,Texas,1,US-Mexico Border,Jan 2000,Trucks,1\n"))
	for _, l := range layouts {
		data, err := os.ReadFile(layout(l.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := bts.NewReader(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line 1") && !strings.Contains(err.Error(), "line 1:") {
				t.Fatalf("header error without line: %v", err)
			}
			return
		}
		for row, err := range r.All() {
			if err != nil {
				if !strings.Contains(err.Error(), "line ") {
					t.Fatalf("error without line: %v", err)
				}
				return
			}
			v, p := row.Volume, row.Port
			if len(p.Code) != 4 || v.Value < 0 || v.Value > bts.MaxValue || !p.Border.Valid() || p.Validate() != nil ||
				v.Month.Day != 1 || v.Month.Year < 1990 || v.Month.Year > 2099 || v.Measure == "" ||
				(p.Latitude != nil && (*p.Latitude < 24 || *p.Latitude > 72 || *p.Longitude < -170 || *p.Longitude > -60)) {
				t.Fatalf("accepted a bad row: %+v %+v", p, v)
			}
		}
	})
}

func TestOpenReadsTheOneBTSFileOfAZipOrRefusesIt(t *testing.T) {
	data, err := os.ReadFile("testdata/reordered.csv")
	if err != nil {
		t.Fatal(err)
	}
	dictionary := [2]string{"data_dictionary.csv", "Column,Meaning\nPort Code,the CBP port\n"}
	readme := [2]string{"README.txt", "Border Crossing Entry Data\n"}

	f, err := bts.Open(testdb.Zip(t, readme, dictionary, [2]string{"Border_Crossing_Entry_Data.csv", string(data)}))
	if err != nil {
		t.Fatal(err)
	}
	if f.Member != "Border_Crossing_Entry_Data.csv" || f.Size != int64(len(data)) {
		t.Errorf("read %q (%d bytes); want Border_Crossing_Entry_Data.csv, %d bytes", f.Member, f.Size, len(data))
	}
	r, err := bts.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	f.Close()
	if n != 4 {
		t.Errorf("read %d rows of the data file; want 4", n)
	}

	for _, c := range []struct {
		name  string
		files [][2]string
		want  string
	}{
		{"two data files", [][2]string{{"2023.csv", string(data)}, dictionary, {"2024.csv", string(data)}},
			"the zip holds 2 BTS CSV files (2023.csv, 2024.csv): unzip it and import the one you mean"},
		{"no data file", [][2]string{dictionary, readme},
			"no .csv file in the zip has the BTS columns (Port Name, State, Port Code, Border, Date, Measure, Value): it holds data_dictionary.csv"},
		{"no csv", [][2]string{readme}, "the zip holds no .csv file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := bts.Open(testdb.Zip(t, c.files...))
			if err == nil || !strings.Contains(err.Error(), c.want) || outbound.ErrorCode(err) != outbound.EINVALID {
				t.Fatalf("error = %v; want invalid with %q", err, c.want)
			}
		})
	}
}
