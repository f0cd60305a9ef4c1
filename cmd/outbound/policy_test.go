package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPolicyCommands(t *testing.T) {
	const dir = "../../policy/testdata/policies/"
	if code, out, _ := run(t, "policy", "check", dir+"national.yaml"); code != 0 || !strings.Contains(out, "0 findings") {
		t.Fatalf("check the national policy: %d %q", code, out)
	}
	code, out, _ := run(t, "policy", "check", dir+"national.yaml", dir+"locals.yaml")
	if code != 1 || !strings.Contains(out, "weaker-than-national") || !strings.Contains(out, "harmonisation") {
		t.Fatalf("check with local procedures: %d %q", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n  - id: r\n    officers: {minimum: 2}\n"), 0o644)
	code, _, errs := run(t, "policy", "check", bad)
	if code != 2 || !strings.Contains(errs, "bad.yaml:6:") || !strings.Contains(errs, `unknown field "minimum"`) {
		t.Fatalf("check an unreadable file: %d %q", code, errs)
	}

	// With a database, crossings are checked and policies published.
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	code, out, _ = run(t, "policy", "check", "--db", dsn, dir+"national.yaml", dir+"locals.yaml")
	if code != 1 || !strings.Contains(out, `crossing "2402" does not exist`) {
		t.Fatalf("check against the database: %d %q", code, out)
	}
	if code, out, _ = run(t, "policy", "publish", "--db", dsn, dir+"national.yaml"); code != 0 || !strings.Contains(out, "published national national-2026") {
		t.Fatalf("publish: %d %q", code, out)
	}
	weak := filepath.Join(t.TempDir(), "weak.yaml")
	os.WriteFile(weak, []byte("kind: local\nid: blaine\ncrossings: [\"3004\"]\neffective: 2026-02-01\nrules:\n  - id: monthly\n    scope: {}\n    min_inspections: {count: 1, per: month}\n"), 0o644)
	if code, out, _ = run(t, "policy", "publish", "--db", dsn, weak); code != 1 || !strings.Contains(out, "weaker-than-national") {
		t.Fatalf("publish a weaker procedure: %d %q; want it refused with its finding", code, out)
	}
	if code, out, _ = run(t, "policy", "list", "--db", dsn); code != 0 || !strings.Contains(out, "national-2026") || strings.Contains(out, "blaine") {
		t.Fatalf("list: %d %q", code, out)
	}
}

func TestImportTraining(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	if code, out, errs := run(t, "import", "training", "--db", dsn, "testdata/training.csv"); code != 0 || !strings.Contains(out, "2 training records; 2 new") {
		t.Fatalf("import training: %d %q %q", code, out, errs)
	}
	if _, out, _ := run(t, "import", "training", "--db", dsn, "testdata/training.csv"); !strings.Contains(out, "0 new, 2 already stored") {
		t.Fatalf("again: %q", out)
	}
}

func TestReportCommand(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	run(t, "import", "staffing", "--db", dsn, "testdata/staffing.csv")
	code, out, errs := run(t, "report", "staffing", "--db", dsn, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv")
	if code != 0 || !strings.Contains(out, "2304,southwest,64,48,16,0.25,8,0,0,0,0,8,4560,0,0,,") {
		t.Fatalf("staffing report: %d %q %q", code, out, errs)
	}
	// Not a terminal: the table at full width, each crossing named.
	code, out, errs = run(t, "report", "staffing", "--db", dsn, "--from", "2026-03-01", "--to", "2026-03-31")
	if code != 0 || !strings.Contains(out, "2304 Laredo") || !strings.Contains(out, "USD/seizure") || strings.Contains(out, "Left out") {
		t.Fatalf("staffing table: %d %q %q; want every column and the names", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "r.json")
	if code, _, errs = run(t, "report", "coverage", "--db", dsn, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json", "-o", file); code != 0 {
		t.Fatalf("report -o: %d %q", code, errs)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), `"report": "coverage"`) {
		t.Fatalf("report file: %s", b)
	}
	for _, args := range [][]string{{"report", "weather"}, {"report", "coverage", "--from", "March"}, {"report", "coverage", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "docx"}} {
		if code, _, _ := run(t, append(args, "--db", dsn)...); code != 2 {
			t.Errorf("outbound %v: exit %d; want 2", args, code)
		}
	}
}

func TestGenerateFillsRollupsThatReportsRead(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "g.db")
	code, out, errs := run(t, "generate", "--db", dsn, "--crossings", "6", "--years", "1", "--inspections", "3000")
	if code != 0 || !strings.Contains(out, "generated") {
		t.Fatalf("generate: %d %q %q", code, out, errs)
	}
	_, out, _ = run(t, "report", "activity", "--db", dsn, "--from", "2025-03-10", "--to", "2026-03-09", "--format", "json")
	var rep struct {
		Totals struct{ Crossings, Inspections int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Totals.Crossings != 6 || rep.Totals.Inspections < 2500 || rep.Totals.Inspections > 3500 {
		t.Fatalf("activity over the generated year: %+v, %v; want about 3000 inspections at 6 crossings", rep, err)
	}
}

func TestImportSurveysAndRankGaps(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "g.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	header := "crossing,day,outbound_lanes,secondary_bays,canopy,lighting,barriers,safe_pull_off,equipment,wifi,cellular,mbps,power,hazards,notes\n"
	good := filepath.Join(t.TempDir(), "surveys.csv")
	os.WriteFile(good, []byte(header+
		"2304,2026-03-02,4,1,true,true,false,true,nii_xray:1:out_of_service;radiation_portal:2:good,poor,fair,2.5,grid,,\n"+
		"3004,2026-03-03,2,0,false,false,false,false,,none,none,0,grid,,\n"), 0o644)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte(header+"2304,2026-03-09,4,1,true,true,false,true,k9:1:good,poor,fair,2.5,grid,,\n"+
		"3004,2026-03-09,2,0,false,false,false,false,k9:1:asleep,none,none,0,grid,,\n"), 0o644)
	if code, _, errs := run(t, "import", "survey", "--db", dsn, bad); code != 2 || !strings.Contains(errs, "line 3, column equipment") {
		t.Fatalf("a bad survey file: %d %q; want 2 naming line 3, column equipment", code, errs)
	}
	if code, out, errs := run(t, "import", "survey", "--db", dsn, good); code != 0 || !strings.Contains(out, "2 surveys; 2 new") {
		t.Fatalf("import surveys: %d %q %q", code, out, errs)
	}
	code, out, errs := run(t, "gaps", "--db", dsn, "--standard", "../../gaps/testdata/standard.yaml")
	if code != 0 || !strings.Contains(out, "1. 3004 (northern, northern") || !strings.Contains(out, "high   safe_pull_off") ||
		!strings.Contains(out, "2. 2304 (southwest, southwest") || strings.Contains(out, "2026-03-09") {
		t.Fatalf("gaps: %d %s %s", code, out, errs)
	}
	_, out, _ = run(t, "gaps", "--db", dsn, "--standard", "../../gaps/testdata/standard.yaml", "--catalogue", "../../gaps/testdata/catalogue.yaml")
	if !strings.Contains(out, "3004 safe_pull_off (high): 1 x (60000.00 unit + 0.00 install) = 60000.00 capital") || !strings.Contains(out, "total: ") {
		t.Fatalf("gaps with costs:\n%s", out)
	}
	// A budget request from the same data, as text and as a workbook.
	if code, _, errs := run(t, "policy", "publish", "--db", dsn, "../../policy/testdata/policies/frequency.yaml"); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	code, out, errs = run(t, "budget", "--db", dsn, "--fiscal-year", "2027", "--standard", "../../gaps/testdata/standard.yaml",
		"--catalogue", "../../gaps/testdata/catalogue.yaml")
	if code != 0 || !strings.Contains(out, "Budget request for fiscal year 2027") || !strings.Contains(out, "2304 (southwest, Laredo)\n  inspections: max(365 minimum") || !strings.Contains(out, "+ 156900.00 equipment") ||
		!strings.Contains(out, "nation: shortfall") {
		t.Fatalf("budget: %d %s %s", code, out, errs)
	}
	book := filepath.Join(t.TempDir(), "budget.xlsx")
	if code, _, errs := run(t, "report", "budget", "--db", dsn, "--fiscal-year", "2027", "--format", "xlsx", "-o", book); code != 0 {
		t.Fatalf("budget as xlsx: %s", errs)
	}
	if b, _ := os.ReadFile(book); !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatal("budget.xlsx is not a workbook")
	}
	// The funding line against that plan.
	funding := filepath.Join(t.TempDir(), "funding.csv")
	os.WriteFile(funding, []byte("fiscal_year,crossing,category,kind,day,amount_usd,note\n"+
		"2027,3004,equipment,allocation,2026-03-02,100000,first tranche\n2027,3004,equipment,obligation,2026-03-05,60000,pull-off contract\n"+
		"2027,3004,equipment,expenditure,2026-03-09,18000,handheld detector\n"), 0o644)
	if code, out, errs := run(t, "import", "funding", "--db", dsn, funding); code != 0 || !strings.Contains(out, "3 funding entries; 3 new") {
		t.Fatalf("import funding: %d %q %q", code, out, errs)
	}
	code, out, errs = run(t, "funding", "--db", dsn, "--fiscal-year", "2027", "--standard", "../../gaps/testdata/standard.yaml",
		"--catalogue", "../../gaps/testdata/catalogue.yaml")
	if code != 0 || !regexp.MustCompile(`3004\s+equipment\s+156900\.00\s+100000\.00\s+60000\.00\s+18000\.00\s+-56900\.00`).MatchString(out) {
		t.Fatalf("funding: %d %s %s", code, out, errs)
	}
	os.WriteFile(funding, []byte("fiscal_year,crossing,category,kind,day,amount_usd,note\n2027,3004,equipment,promise,2026-03-02,1,\n"), 0o644)
	if code, _, errs := run(t, "import", "funding", "--db", dsn, funding); code != 2 || !strings.Contains(errs, "line 2") || !strings.Contains(errs, "kind") {
		t.Fatalf("a bad funding file: %d %q", code, errs)
	}
	if code, _, _ := run(t, "budget", "--db", dsn, "--fiscal-year", "2027", "--standard", "x.yaml"); code != 2 {
		t.Fatal("a missing standard file was accepted")
	}
	// Without files, gaps and budget use the published standard and
	// catalogue; before any is published, gaps says what to do.
	if code, _, errs := run(t, "gaps", "--db", dsn); code != 2 || !strings.Contains(errs, "no gap standard: publish one") {
		t.Fatalf("gaps with nothing published: %d %q", code, errs)
	}
	if code, _, errs := run(t, "gaps", "publish", "--db", dsn, "--catalogue", "../../policy/testdata/policies/frequency.yaml"); code != 2 || !strings.Contains(errs, "frequency.yaml") {
		t.Fatalf("a policy published as a catalogue: %d %q", code, errs)
	}
	code, out, errs = run(t, "gaps", "publish", "--db", dsn, "--standard", "../../gaps/testdata/standard.yaml", "--catalogue", "../../gaps/testdata/catalogue.yaml")
	if code != 0 || !strings.Contains(out, "as gap_standard version 1") || !strings.Contains(out, "as cost_catalogue version 1") {
		t.Fatalf("gaps publish: %d %q %q", code, out, errs)
	}
	code, out, errs = run(t, "budget", "--db", dsn, "--fiscal-year", "2027")
	if code != 0 || !strings.Contains(out, "Equipment: gap standard version 1, published") || !strings.Contains(out, "+ 156900.00 equipment") {
		t.Fatalf("budget from the published documents: %d %s %s", code, out, errs)
	}
	if code, out, _ = run(t, "gaps", "--db", dsn); !strings.Contains(out, "Standard: gap standard version 1") {
		t.Fatalf("gaps from the published standard: %d %s", code, out)
	}
	if code, _, _ := run(t, "gaps", "--db", dsn, "--standard", "no-such.yaml"); code != 2 {
		t.Fatalf("gaps without a standard file: %d", code)
	}
}

func TestTrainingCoverageCommand(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	run(t, "import", "training", "--db", dsn, "testdata/training.csv")
	courses := filepath.Join(t.TempDir(), "courses.csv")
	os.WriteFile(courses, []byte("course,applies_to,title\nrail-outbound,rail,Rail outbound\nnii-operation,nii_xray,NII operation\n"), 0o644)
	code, out, errs := run(t, "training", "--db", dsn, "--courses", courses, "--from", "2026-12-01", "--to", "2026-12-31", "--expiring-within", "30")
	if code != 0 || !strings.Contains(out, "Expiring within 30 days after 2026-12-31: 1") || !strings.Contains(out, "B1234 rail-outbound expires 2027-01-10") {
		t.Fatalf("training: %d %s %s", code, out, errs)
	}
	os.WriteFile(courses, []byte("course,applies_to,title\nrail-outbound,trains,Rail\n"), 0o644)
	if code, _, errs := run(t, "training", "--db", dsn, "--courses", courses, "--from", "2026-12-01", "--to", "2026-12-31"); code != 2 ||
		!strings.Contains(errs, "line 2, column applies_to") {
		t.Fatalf("a bad catalogue: %d %q", code, errs)
	}
}
