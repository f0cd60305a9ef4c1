package report_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/report"
)

// names are longer than any terminal column should hold.
var names = map[string]string{
	"2304": "Laredo, Juárez-Lincoln International Bridge (Texas)",
	"3004": "Blaine, Peace Arch (Washington)",
}

// TestTablesFitTheTerminal writes every report as a table at 80 and 120
// columns, and at full width (not a terminal): each line fits, each row
// starts with the crossing's code, the totals come last, and what the
// narrow table left out is named; the golden files show them.
func TestTablesFitTheTerminal(t *testing.T) {
	for _, rep := range fixtureReports(t) {
		name := rep.Report
		var tables bytes.Buffer
		for _, width := range []int{80, 120, 0} {
			var b bytes.Buffer
			if err := report.WriteTable(&b, rep, report.TableOptions{Width: width, Names: names}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines {
				if width > 0 && utf8.RuneCountInString(l) > width {
					t.Errorf("%s at %d columns: a line of %d: %q", name, width, utf8.RuneCountInString(l), l)
				}
			}
			if !strings.HasPrefix(lines[2], "2304 Laredo") || !strings.HasPrefix(lines[3], "3004 Blaine") || !strings.HasPrefix(lines[4], "TOTAL ") {
				t.Errorf("%s at %d columns: rows\n%s", name, width, out)
			}
			switch narrowed := strings.Contains(out, "Left out") || strings.Contains(out, "…"); {
			case width == 0 && (narrowed || !strings.Contains(out, names["2304"])):
				t.Errorf("%s at full width is narrowed:\n%s", name, out)
			case width > 0 && !narrowed && wider(t, rep) > width:
				t.Errorf("%s at %d columns is not narrowed, yet its full table is %d wide", name, width, wider(t, rep))
			}
			fmt.Fprintf(&tables, "--- %d columns (0: not a terminal)\n%s", width, out)
		}
		golden.Check(t, "table-"+name+".txt", tables.Bytes(), true)
	}
}

// TestTableColumnsAreTheReportsOwn catches a column chosen for a table
// under a key its report does not have, which would print blank.
func TestTableColumnsAreTheReportsOwn(t *testing.T) {
	for _, rep := range fixtureReports(t) {
		name := rep.Report
		for _, key := range report.TableKeys(name) {
			if !slices.Contains(report.Columns(rep), key) {
				t.Errorf("the %s table shows %q, which is none of its columns %v", name, key, report.Columns(rep))
			}
		}
	}
}

// wider is the width of the report's full table, its rows' longest line.
func wider(t *testing.T, rep outbound.Report) int {
	var b bytes.Buffer
	if err := report.WriteTable(&b, rep, report.TableOptions{Names: names}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(b.String(), "\n")[:len(rep.Rows)+3] {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

// fixtureReports are every report of the fixture's week, on SQLite.
func fixtureReports(t *testing.T) []outbound.Report {
	db := fixture(t, testdb.SQLite(t))
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
	var reps []outbound.Report
	for _, name := range outbound.ReportNames {
		rep, err := db.Report(testdb.System, name, f)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	return reps
}
