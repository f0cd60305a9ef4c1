package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound/internal/testdb"
)

// Every CSV import refuses what the API refuses: a day before 2000 or
// more than a day after today at the crossing (the clock is 2026-03-10),
// a control character or invalid UTF-8 in text, a quantity beyond its
// ceiling. The file names the line and the field, and nothing of it is
// stored: the good row beside the bad one is new when imported alone.
func TestImportsRefuseWhatTheAPIRefuses(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "import", "bts", "--db", dsn, "testdata/ports.csv"); code != 0 {
			t.Fatal(errs)
		}
		surveyHeader := "crossing,day,outbound_lanes,secondary_bays,canopy,lighting,barriers,safe_pull_off,equipment,wifi,cellular,mbps,power,hazards,notes\n"
		survey := func(day, hazards, notes string) string {
			return "2304," + day + ",4,1,true,true,false,true,,poor,fair,2.5,grid," + hazards + "," + notes + "\n"
		}
		for _, c := range []struct {
			kind, header, good, bad, field string
		}{
			{"staffing", "crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n",
				"2304,2026-03-09,day,8,8,0,,\n", "2304,2099-01-01,swing,8,8,0,,\n", "day"},
			{"staffing", "crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n",
				"2304,2026-03-08,day,8,8,0,,\n", "2304,2026-03-08,swing,8,8,0,,nul\x00here\n", "notes"},
			{"staffing", "crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n",
				"2304,2026-03-07,day,8,8,0,,\n", "2304,2026-03-07,swing,900,8,0,,\n", "hours_planned"},
			{"exits", "crossing,day,modality,count,estimated,method\n",
				"2304,2026-03-09,truck,5210,false,lane counter\n", "2304,1999-12-31,bus,10,false,lane counter\n", "day"},
			{"exits", "crossing,day,modality,count,estimated,method\n",
				"2304,2026-03-08,truck,5210,false,lane counter\n", "2304,2026-03-08,bus,2000000,false,lane counter\n", "count"},
			{"exits", "crossing,day,modality,count,estimated,method\n",
				"2304,2026-03-07,truck,5210,false,lane counter\n", "2304,2026-03-07,bus,10,true,tally\x1b[2J\n", "method"},
			{"survey", surveyHeader, survey("2026-03-09", "", ""), survey("2099-06-01", "", ""), "day"},
			{"survey", surveyHeader, survey("2026-03-08", "", ""), survey("2026-03-08", "loose \xff cable", ""), "hazards"},
			{"funding", "fiscal_year,crossing,category,kind,day,amount_usd,note\n",
				"2026,2304,equipment,allocation,2026-03-09,1000,\n", "2026,2304,equipment,allocation,2026-03-12,1000,\n", "day"},
			{"funding", "fiscal_year,crossing,category,kind,day,amount_usd,note\n",
				"2026,2304,equipment,allocation,2026-03-08,1000,\n", "2026,2304,equipment,allocation,2026-03-08,1000,bell\x07\n", "note"},
			{"training", "badge,course,completed_on,expires_on\n",
				"B1234,rail-outbound,2026-01-10,2027-01-10\n", "B5678,rail-outbound,2031-01-10,\n", "completed_on"},
		} {
			file := filepath.Join(t.TempDir(), c.kind+".csv")
			os.WriteFile(file, []byte(c.header+c.good+c.bad), 0o644)
			code, out, errs := run(t, "import", c.kind, "--db", dsn, file)
			if code != 2 || !strings.Contains(errs, "line 3") || !strings.Contains(errs, c.field) || !strings.Contains(errs, "nothing was imported") {
				t.Errorf("import %s with a bad %s: %d %q %q; want 2 naming line 3 and %s", c.kind, c.field, code, out, errs, c.field)
			}
			os.WriteFile(file, []byte(c.header+c.good), 0o644)
			if code, out, errs := run(t, "import", c.kind, "--db", dsn, file); code != 0 || !strings.Contains(out, "1 new") {
				t.Errorf("import %s, the good row alone: %d %q %q; want it new", c.kind, code, out, errs)
			}
		}
	})
}
