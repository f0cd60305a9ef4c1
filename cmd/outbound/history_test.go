package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/xuri/excelize/v2"
)

// portLog is a port's own log as a port keeps it: its own words for
// modality and technique (POV, K9), local times, dollar amounts with
// thousands separators, a seizure group.
const portLog = `crossing,started_at,minutes,modality,techniques,trigger,officers,outcome,notes,seizure1_category,seizure1_quantity,seizure1_unit,seizure1_value_usd
2304,2012-03-01 14:05,12,POV,interview;K9,routine,B1;B2,seizure,,currency,"48,000",USD,"$48,000"
2304,2013-06-01 02:00,30,truck,physical,routine,B1,no_finding,quiet night,,,,
3004,2014-01-02T10:00:00-08:00,5,personal_vehicle,visual,random_selection,C7,no_finding,,,,,
`

const portMapping = `values:
  modality: {POV: personal_vehicle}
  techniques: {K9: k9}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// inspectionsIn counts a source's inspections, and their seizures' value,
// 2010 to 2019, through the activity and seizures reports (and checks the
// yield report agrees on the value).
func inspectionsIn(t *testing.T, dsn, source string) (float64, float64) {
	t.Helper()
	totals := func(name string) map[string]any {
		var rep struct {
			Totals map[string]any `json:"totals"`
		}
		code, out, errs := run(t, "report", name, "--db", dsn, "--from", "2010-01-01", "--to", "2019-12-31", "--source", source, "--format", "json")
		if code != 0 {
			t.Fatalf("report: exit %d: %s", code, errs)
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Totals
	}
	n, _ := totals("activity")["inspections"].(float64)
	v, _ := totals("seizures")["value_usd"].(float64)
	// The yield report reads the same history: its seizures' value too.
	if y, _ := totals("yield")["value_usd"].(float64); y != v {
		t.Errorf("--source %s: the yield report's seizures are worth %v, the seizures report's %v", source, y, v)
	}
	return n, v
}

func TestImportInspectionsFromAPortsLog(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "import", "bts", "--db", dsn, "testdata/ports.csv"); code != 0 {
			t.Fatalf("import bts: %s", errs)
		}
		log, mapping := writeFile(t, "laredo.csv", portLog), writeFile(t, "laredo.yaml", portMapping)

		// Without the mapping, a dry run lists the words it does not know
		// with their lines, and stores nothing.
		code, out, _ := run(t, "import", "inspections", "--db", dsn, "--dry-run", log)
		if code != 2 || !strings.Contains(out, `modality "POV": 1 rows (line 2)`) {
			t.Fatalf("dry run without a mapping: exit %d\n%s", code, out)
		}
		code, out, errs := run(t, "import", "inspections", "--db", dsn, "--dry-run", "--mapping", mapping, log)
		if code != 0 || !strings.Contains(out, "would store 3 inspections") || !strings.Contains(out, "crossing 2304: 2012: 1, 2013: 1") {
			t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
		}
		if n, _ := inspectionsIn(t, dsn, "all"); n != 0 {
			t.Fatalf("a dry run stored %g inspections", n)
		}

		code, out, errs = run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, log)
		if code != 0 || !strings.Contains(out, "3 inspections new, 0 already stored") {
			t.Fatalf("import: exit %d\n%s%s", code, out, errs)
		}
		code, out, errs = run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, "--source-name", "laredo-again.csv", log)
		if code != 0 || !strings.Contains(out, "0 inspections new, 3 already stored") {
			t.Fatalf("a second run: exit %d\n%s%s", code, out, errs)
		}
		for source, want := range map[string][2]float64{"all": {3, 48000}, "imported": {3, 48000}, "recorded": {0, 0}} {
			if n, v := inspectionsIn(t, dsn, source); n != want[0] || v != want[1] {
				t.Errorf("--source %s: %g inspections, $%g; want %v", source, n, v, want)
			}
		}
		if code, out, errs := run(t, "audit", "verify", "--db", dsn); code != 0 {
			t.Fatalf("audit verify: exit %d\n%s%s", code, out, errs)
		}

		// Bad input: refused naming the line (or cell) and the column,
		// exit 2, and nothing more stored.
		header := "crossing,started_at,minutes,modality,techniques,trigger,officers,outcome\n"
		for name, c := range map[string]struct{ file, want string }{
			"wrong column":     {"crossing,started_at,minutes,modality,techniques,officers,outcome\n", "line 1: the header has no trigger column"},
			"bad date":         {header + "2304,2012-13-01 10:00,5,truck,visual,routine,B1,no_finding\n", `line 2: column started_at: "2012-13-01 10:00" is not a time`},
			"unknown crossing": {header + "2304,2012-01-01 10:00,5,truck,visual,routine,B1,no_finding\n9999,2012-01-01 10:00,5,truck,visual,routine,B1,no_finding\n", `line 3: column crossing: "9999" is not a crossing in the registry`},
			"before 1990":      {header + "2304,1989-12-31 10:00,5,truck,visual,routine,B1,no_finding\n", "line 2: column started_at: started_at 1989-12-31T10:00:00-06:00 is before 1990"},
			"in the future":    {header + "2304,2026-03-11 10:00,5,truck,visual,routine,B1,no_finding\n", "line 2: column started_at: started_at 2026-03-11T10:00:00-05:00 is in the future"},
			"unknown word":     {header + "2304,2012-01-01 10:00,5,SUV,visual,routine,B1,no_finding\n", `line 2: column modality: "SUV" is not personal_vehicle`},
			"duplicate id": {"id," + header +
				"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11,2304,2015-01-01 10:00,5,truck,visual,routine,B1,no_finding\n" +
				"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11,2304,2015-01-01 10:00,9,truck,visual,routine,B1,no_finding\n",
				"line 3: id 0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11 is already stored with other content"},
		} {
			code, out, errs := run(t, "import", "inspections", "--db", dsn, writeFile(t, "bad.csv", c.file))
			if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was imported") {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", name, code, out, errs, c.want)
			}
		}
		// A dry run lists every problem of a file, not only the first.
		code, out, _ = run(t, "import", "inspections", "--db", dsn, "--dry-run", writeFile(t, "bad.csv", header+
			"2304,2012-13-01 10:00,5,truck,visual,routine,B1,no_finding\n"+
			"2304,2012-01-01 10:00,5,SUV,visual,routine,B1,no_finding\n"+
			"2304,2012-01-02 10:00,5,truck,visual,routine,B1,no_finding\n"))
		if code != 2 || !strings.Contains(out, "would store 1 inspections") || !strings.Contains(out, `modality "SUV": 1 rows (line 3)`) ||
			!strings.Contains(out, `line 2: column started_at: "2012-13-01 10:00" is not a time`) {
			t.Errorf("dry run of a bad file: exit %d\n%s", code, out)
		}
		if n, _ := inspectionsIn(t, dsn, "all"); n != 3 {
			t.Fatalf("bad files stored something: %g inspections", n)
		}
	})
}

// xlsxLog writes a workbook of the given sheets, each a grid of values
// (a value starting with "=" is a formula).
func xlsxLog(t *testing.T, sheets map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var err error
				if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
					err = f.SetCellFormula(name, cell, s[1:])
				} else {
					err = f.SetCellValue(name, cell, v)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(t.TempDir(), "log.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportInspectionsFromAWorkbook(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "import", "bts", "--db", dsn, "testdata/ports.csv"); code != 0 {
			t.Fatalf("import bts: %s", errs)
		}
		header := []any{"Port", "Start", "End", "Mode", "How", "Why", "Badges", "Result"}
		good := []any{"2304", "2016-05-04 08:30", "2016-05-04 08:50", "POV", "interview", "routine", "B1", "no_finding"}
		mapping := writeFile(t, "m.yaml", `columns:
  crossing: Port
  started_at: Start
  ended_at: End
  modality: Mode
  techniques: How
  trigger: Why
  officers: Badges
  outcome: Result
values:
  modality: {pov: personal_vehicle}
`)
		two := xlsxLog(t, map[string][][]any{"Log": {header, good}, "Notes": {{"kept by the port"}}}, "Log", "Notes")
		code, _, errs := run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, two)
		if code != 2 || !strings.Contains(errs, "the workbook has 2 sheets (Log, Notes): name the one to read with --sheet") {
			t.Fatalf("two sheets: exit %d, %s", code, errs)
		}
		code, out, errs := run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, "--sheet", "Log", two)
		if code != 0 || !strings.Contains(out, "1 inspections new") {
			t.Fatalf("--sheet Log: exit %d\n%s%s", code, out, errs)
		}
		formula := xlsxLog(t, map[string][][]any{"Log": {header, good, {"2304", "2016-05-05 08:30", "=B3", "POV", "visual", "routine", "B1", "no_finding"}}}, "Log")
		code, _, errs = run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, formula)
		if code != 2 || !strings.Contains(errs, "sheet Log, cell C3 holds a formula") {
			t.Fatalf("a formula: exit %d, %s", code, errs)
		}
		bad := xlsxLog(t, map[string][][]any{"Log": {header, {"2304", "2016-05-05 08:30", "2016-05-05 08:40", "POV", "visual", "lunch", "B1", "no_finding"}}}, "Log")
		code, _, errs = run(t, "import", "inspections", "--db", dsn, "--mapping", mapping, bad)
		if code != 2 || !strings.Contains(errs, `sheet Log, cell F2: column trigger: "lunch" is not`) {
			t.Fatalf("a bad word: exit %d, %s", code, errs)
		}
		if n, _ := inspectionsIn(t, dsn, "imported"); n != 1 {
			t.Fatalf("%g imported inspections; want 1", n)
		}
	})
}
