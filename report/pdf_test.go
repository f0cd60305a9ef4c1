package report_test

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/report"
)

// run is a piece of text the PDF draws at one place, in one font.
type run struct {
	x, y float64 // points, y up from the bottom of the page
	s    string
	bold bool
}

// pdfRuns reads each page's text as the runs it was drawn in. The reader
// gives a glyph at a time, each with its run's position.
func pdfRuns(t *testing.T, b []byte) [][]run {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var pages [][]run
	for i := 1; i <= r.NumPage(); i++ {
		var runs []run
		for _, g := range r.Page(i).Content().Text {
			bold := strings.HasSuffix(g.Font, "-Bold")
			if n := len(runs); n > 0 && runs[n-1].x == g.X && runs[n-1].y == g.Y && runs[n-1].bold == bold {
				runs[n-1].s += g.S
				continue
			}
			runs = append(runs, run{g.X, g.Y, g.S, bold})
		}
		pages = append(pages, runs)
	}
	return pages
}

// printedTable reads the PDF's tables back as a person reads them: a
// header cell is bold lines stacked at one place, its column runs from
// there to the next header cell, and each row under the header is named
// by its first cell. It returns the value of every named row in every
// column, and the columns it found headers for.
func printedTable(t *testing.T, b []byte) (map[string]map[string]string, []string) {
	t.Helper()
	const line = 3.2 / 25.4 * 72 // a header line, in points
	cells := map[string]map[string]string{}
	var found []string
	for _, runs := range pdfRuns(t, b) {
		// Header cells: bold runs at one x, a header line apart.
		type head struct {
			x, top, bottom float64
			name           string
		}
		var heads []head
		used := make([]bool, len(runs))
		for i, r := range runs {
			if !r.bold || used[i] {
				continue
			}
			h := head{r.x, r.y, r.y, r.s}
			for j := i + 1; j < len(runs); j++ {
				if n := runs[j]; n.bold && n.x == h.x && math.Abs(h.bottom-n.y-line) < 0.5 {
					h.bottom, h.name = n.y, h.name+n.s
					used[j] = true
				}
			}
			heads = append(heads, h)
		}
		// A table's header is the header cells whose tops are level; a
		// lone bold run (a title) is no table's, and the TOTAL row, in
		// bold too, is a row.
		bands := map[float64][]head{}
		for _, h := range heads {
			bands[h.top] = append(bands[h.top], h)
		}
		tops := slices.Sorted(func(yield func(float64) bool) {
			for top, hs := range bands {
				if len(hs) > 1 && slices.MinFunc(hs, func(a, b head) int { return cmp.Compare(a.x, b.x) }).name != "TOTAL" && !yield(top) {
					return
				}
			}
		})
		slices.Reverse(tops) // from the top of the page down
		for k, top := range tops {
			band := bands[top]
			slices.SortFunc(band, func(a, b head) int { return cmp.Compare(a.x, b.x) })
			bottom := band[0].bottom
			for _, h := range band {
				bottom = min(bottom, h.bottom)
				found = append(found, h.name)
			}
			below := math.Inf(-1)
			if k+1 < len(tops) {
				below = tops[k+1]
			}
			rows := map[float64][]run{}
			for _, r := range runs {
				if r.y < bottom-1 && r.y > below+1 {
					rows[r.y] = append(rows[r.y], r)
				}
			}
			for _, row := range rows {
				slices.SortFunc(row, func(a, b run) int { return cmp.Compare(a.x, b.x) })
				if row[0].x >= band[1].x-2 { // no first cell: not a row of this table
					continue
				}
				name := row[0].s
				if cells[name] == nil {
					cells[name] = map[string]string{}
				}
				for _, r := range row[1:] {
					col := 0
					for c := range band {
						if r.x >= band[c].x-2 {
							col = c
						}
					}
					cells[name][band[col].name] = r.s
				}
			}
		}
	}
	return cells, found
}

// checkPDFAgainstCSV fails unless the PDF's table holds every column of
// the CSV with every row's value (numbers to the PDF's three decimals),
// and a TOTAL row with the report's totals in their columns.
func checkPDFAgainstCSV(t *testing.T, rep outbound.Report) {
	t.Helper()
	var p, c bytes.Buffer
	if err := report.Write(&p, rep, "pdf"); err != nil {
		t.Fatal(err)
	}
	if err := report.Write(&c, rep, "csv"); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	printed, found := printedTable(t, p.Bytes())
	header := records[0]
	for _, col := range header[1:] {
		if !slices.Contains(found, col) {
			t.Errorf("%s: the PDF has no column %q", rep.Report, col)
		}
	}
	same := func(pdf, want string) bool {
		a, err1 := strconv.ParseFloat(pdf, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		if err1 == nil && err2 == nil {
			return math.Abs(a-b) <= 0.0005
		}
		return pdf == want
	}
	for _, rec := range records[1:] {
		got := printed[rec[0]]
		if got == nil {
			t.Errorf("%s: the PDF has no row %s", rep.Report, rec[0])
			continue
		}
		for i, col := range header[1:] {
			if want := rec[i+1]; !same(got[col], want) {
				t.Errorf("%s: %s's %s is %q in the PDF, %q in the CSV", rep.Report, rec[0], col, got[col], want)
			}
		}
	}
	totals := map[string]string{}
	for _, cell := range report.Flatten(rep.Totals) {
		totals[cell.Column] = report.Text(cell.Value)
	}
	for _, col := range header[1:] {
		if want := totals[col]; !same(printed["TOTAL"][col], want) {
			t.Errorf("%s: the TOTAL row's %s is %q in the PDF; the report's total is %q", rep.Report, col, printed["TOTAL"][col], want)
		}
	}
}

// Every report's PDF carries every column of its CSV, with the same
// values, and the totals under their columns.
func TestPDFCarriesEveryColumn(t *testing.T) {
	db := fixture(t, testdb.SQLite(t))
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
	for _, name := range outbound.ReportNames {
		rep, err := db.Report(testdb.System, name, f)
		if err != nil {
			t.Fatal(err)
		}
		checkPDFAgainstCSV(t, rep)
	}
}

// The budget request's PDF has its dollar columns and a TOTAL row with
// the national sums in them.
func TestBudgetPDFHasItsDollars(t *testing.T) {
	a := budget.Assumptions{FiscalYear: 2027, Days: 365, TargetRate: 0.5, HourlyRate: 95, DefaultMinutes: 40, BlockHours: 2, ShiftHours: 8}
	lines := budget.Request(a, []budget.Site{
		{Crossing: "2304", Border: "southwest", FieldOffice: "Laredo", Minimum: 365, Windows: 365, ExitsPerDay: 48000, MixBasis: "crossing",
			Practices:   []budget.Practice{{Modality: "truck", Techniques: "nii_xray+physical", Count: 1800, Minutes: 30, Officers: 2.5, Required: 3}},
			HoursWorked: 4000, Equipment: 2673500},
		{Crossing: "3004", Border: "northern", FieldOffice: "Seattle", Minimum: 52, Windows: 52, ExitsPerDay: 100, MixBasis: "default", Equipment: 156900},
	})
	fy := outbound.FiscalYear(2027)
	rep := budget.Report(a, fy.From, fy.To, lines)
	checkPDFAgainstCSV(t, rep)
	var b bytes.Buffer
	if err := report.Write(&b, rep, "pdf"); err != nil {
		t.Fatal(err)
	}
	printed, _ := printedTable(t, b.Bytes())
	if total := printed["TOTAL"]; total["total_usd"] == "" || total["staffing_usd"] == "" || total["equipment_usd"] != "2830400" {
		t.Fatalf("the budget's TOTAL row: %v", total)
	}
}

// A report too wide and too long for a page prints its columns in parts
// and its rows over pages, each part and page under its header, and its
// chart says it shows the top 25 of all the crossings.
func TestPDFOfManyCrossingsAndColumns(t *testing.T) {
	db := fixture(t, testdb.SQLite(t))
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
	rep, err := db.Report(testdb.System, "yield", f)
	if err != nil {
		t.Fatal(err)
	}
	first := rep.Rows[0]
	rep.Rows = nil
	for i := range 90 {
		row := slices.Clone(first)
		row[0].Value = fmt.Sprint(5000 + i)
		row[2].Value = int64(i) // inspections: the chart ranks by another metric; still a value each
		rep.Rows = append(rep.Rows, row)
	}
	checkPDFAgainstCSV(t, rep)
	var b bytes.Buffer
	report.Write(&b, rep, "pdf")
	text := pdfText(t, b.Bytes())
	for _, want := range []string{"Top 25 of 90 crossings by seizures per 100 inspections", "Table, part 1 of", "Table, part 2 of"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
}

// pdfText is the PDF's text, a run a line.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	var lines []string
	for _, page := range pdfRuns(t, b) {
		for _, r := range page {
			lines = append(lines, r.s)
		}
	}
	return strings.Join(lines, "\n")
}
