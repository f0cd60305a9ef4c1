package csvfile_test

import (
	"strings"
	"testing"
	"time"

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
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Record.HoursDiverted != 8 || rows[0].Record.Validate(time.Now()) != nil {
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

const surveyCSV = "crossing,day,outbound_lanes,secondary_bays,canopy,lighting,barriers,safe_pull_off,equipment,wifi,cellular,mbps,power,hazards,notes\n" +
	"2304,2026-03-02,4,1,true,true,false,true,nii_xray:1:out_of_service;radiation_portal:2:good,poor,fair,2.5,grid,lanes merge before the booth,\n"

func TestSurveyRowsAndTheirErrors(t *testing.T) {
	var got []outbound.Survey
	for row, err := range csvfile.ReadSurveys(strings.NewReader(surveyCSV), time.Now()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row.Record)
	}
	if len(got) != 1 || got[0].Working("radiation_portal") != 2 || got[0].Working("nii_xray") != 0 || got[0].Mbps != 2.5 ||
		len(got[0].Hazards) != 1 || got[0].Validate(time.Now()) != nil {
		t.Fatalf("surveys = %+v", got)
	}
	row := strings.Split(surveyCSV, "\n")[1]
	for bad, want := range map[string]string{
		strings.Replace(row, ",4,1,", ",4,1.5,", 1):                  "line 2, column secondary_bays",
		strings.Replace(row, "true,true,false", "yes,true,false", 1): "line 2, column canopy",
		strings.Replace(row, "nii_xray:1:", "nii_xray:one:", 1):      "line 2, column equipment",
		strings.Replace(row, ":good", ":shiny", 1):                   "line 2, column equipment: condition \"shiny\"",
		strings.Replace(row, ",poor,fair,", ",poor,great,", 1):       "line 2, column cellular",
		strings.Replace(row, ",grid,", ",solar,", 1):                 "line 2, column power",
	} {
		var err error
		for _, e := range csvfile.ReadSurveys(strings.NewReader(strings.Split(surveyCSV, "\n")[0]+"\n"+bad+"\n"), time.Now()) {
			if e != nil {
				err = e
			}
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", bad, err, want)
		}
	}
}

// FuzzReadSurveys checks that no input panics and every error names a line.
func FuzzReadSurveys(f *testing.F) {
	f.Add([]byte(surveyCSV))
	f.Add([]byte(strings.Replace(surveyCSV, "nii_xray:1:", "nii_xray::", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, err := range csvfile.ReadSurveys(strings.NewReader(string(data)), time.Now()) {
			if err != nil && !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
		}
	})
}

// FuzzReadFundingAndCourses checks that no input panics either reader and
// every error names a line.
func FuzzReadFundingAndCourses(f *testing.F) {
	f.Add([]byte("fiscal_year,crossing,category,kind,day,amount_usd,note\n2027,3004,equipment,allocation,2026-10-15,100000,x\n"))
	f.Add([]byte("course,applies_to,title\nrail-outbound,rail,Rail\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, err := range csvfile.ReadFunding(strings.NewReader(string(data))) {
			if err != nil && !strings.Contains(err.Error(), "line ") {
				t.Fatalf("funding: error without a line: %v", err)
			}
		}
		for _, err := range csvfile.ReadCourses(strings.NewReader(string(data))) {
			if err != nil && !strings.Contains(err.Error(), "line ") {
				t.Fatalf("courses: error without a line: %v", err)
			}
		}
	})
}
