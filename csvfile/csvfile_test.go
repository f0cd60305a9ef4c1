package csvfile_test

import (
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/csvfile"
)

const staffingCSV = "crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n" +
	"2304,2026-03-01,day,32,24,8,inbound_traffic,\n"

func TestStaffingRowsAndDerivedIDs(t *testing.T) {
	var rows []csvfile.Row[outbound.Staffing]
	for row, err := range csvfile.ReadStaffing(strings.NewReader(staffingCSV)) {
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Record.HoursDiverted != 8 || rows[0].Record.Validate() != nil {
		t.Fatalf("rows = %+v", rows)
	}
	// The same key gives the same id, file after file.
	for row := range csvfile.ReadStaffing(strings.NewReader(staffingCSV)) {
		if row.Record.ID != rows[0].Record.ID {
			t.Fatal("the derived id changed between reads")
		}
	}
}

func TestErrorsNameLineAndColumn(t *testing.T) {
	cases := map[string]string{
		"crossing,day,shift\n":                          `line 1: the header has no "hours_planned" column`,
		staffingCSV + "2304,2026-3-1,day,1,1,0,,\n":     "line 3, column day",
		staffingCSV + "2304,2026-03-02,day,x,1,0,,\n":   "line 3, column hours_planned",
		staffingCSV + "2304,2026-03-02,day,1,1,0\n":     "line 3: wrong number of fields",
		"id," + staffingCSV[:len(staffingCSV)-1] + "\n": "",
	}
	for data, want := range cases {
		var err error
		for _, e := range csvfile.ReadStaffing(strings.NewReader(data)) {
			if e != nil {
				err = e
			}
		}
		if want == "" {
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error = %v; want %q", err, want)
		}
	}
	exits := "crossing,day,modality,count,estimated,method\n2304,2026-03-01,truck,12.5,false,\n"
	for _, err := range csvfile.ReadExits(strings.NewReader(exits)) {
		if err == nil || !strings.Contains(err.Error(), "line 2, column count") {
			t.Errorf("fractional count: %v", err)
		}
	}
}

// FuzzReadExits checks that no input panics and every error names a line.
func FuzzReadExits(f *testing.F) {
	f.Add([]byte("crossing,day,modality,count,estimated,method\n2304,2026-03-01,truck,5210,false,lane counter\n"))
	f.Add([]byte("id,crossing,day,modality,count,estimated,method\nnot-a-uuid,2304,2026-03-01,truck,1,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, err := range csvfile.ReadExits(strings.NewReader(string(data))) {
			if err != nil && !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
		}
	})
}
