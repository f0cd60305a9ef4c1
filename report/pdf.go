package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/outbound-oss/outbound"
)

// Definitions say in a sentence what each report measures, for the PDF
// (docs/metrics.md has them in full).
var Definitions = map[string]string{
	"coverage":   "Days in the period with at least one outbound inspection, out of all days, and the longest run of days without one. Days are each crossing's local calendar days.",
	"compliance": "Minimum-frequency windows (days, weeks or months of the policy in force) wholly inside the period, and those with at least the required inspections.",
	"activity":   "Current, unvoided inspections by modality, technique (an inspection counts for each it used), trigger and outcome.",
	"seizures":   "Seizure entries (one per category and inspection) and their declared value in USD.",
	"yield":      "Seizures per 100 inspections and value seized per officer hour (inspection duration times officers named).",
	"staffing":   "Officer hours planned, worked and diverted to inbound work, and their cost at the loaded hourly rate stated in the filters.",
	"exits":      "Inspections per 1,000 exits, from exit counts where recorded, else estimated from the BTS inbound baseline (marked in exits_source).",
	"budget":     "A fiscal year's request: inspections needed (the policy's minimum, or the target rate times last year's exits, whichever is more) times the officer-minutes of last year's mix of practices, each staffed with at least the officers the policy requires, or a team posted for a block in every window of the minimum, whichever is more; against the hours worked last year, the shortfall at the loaded hourly rate, plus the equipment that closes each crossing's gaps (capital and a year of maintenance).",
}

// ChartMetric is the metric each report's chart shows per crossing.
var ChartMetric = map[string]outbound.Metric{
	"coverage": outbound.CoverageRate, "compliance": outbound.ComplianceRate, "activity": outbound.Inspections, "seizures": outbound.ValueUSD,
	"yield": outbound.SeizuresPer100Inspections, "staffing": outbound.HoursWorked, "exits": outbound.InspectionsPer1000Exits,
}

// WritePDF writes a readable report: title, period and filters, what the
// metrics mean, a bar chart of the main metric per crossing, and the table
// with every column of the CSV and the totals, in as many parts across
// the page as its columns need; then the totals that have no column.
func WritePDF(w io.Writer, rep outbound.Report) error {
	pdf := fpdf.New("L", "mm", "Letter", "")
	pdf.SetTitle("outbound "+rep.Report+" report", false)
	pdf.SetAutoPageBreak(true, pageBottom)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, fmt.Sprintf("Outbound inspections: %s report", rep.Report), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	filters := fmt.Sprintf("Period %s to %s (local days of each crossing).", rep.From, rep.To)
	for _, k := range slices.Sorted(maps.Keys(rep.Filters)) {
		filters += fmt.Sprintf(" %s: %s.", k, rep.Filters[k])
	}
	pdf.MultiCell(0, 5, filters, "", "", false)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, "Definition: "+Definitions[rep.Report]+" Voided inspections count nowhere; an edited one counts once, as its latest version.", "", "", false)
	pdf.Ln(3)

	chart(pdf, rep)
	if len(rep.Rows) == 0 {
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(0, 6, "No crossing in this selection.", "", 1, "", false, 0, "")
	} else {
		cols := Columns(rep)
		var rows [][]string
		for _, r := range rep.Rows {
			rows = append(rows, values(r, cols, short))
		}
		byCol := map[string]string{}
		for _, c := range Flatten(rep.Totals) {
			byCol[c.Column] = short(c.Value)
		}
		total := []string{"TOTAL"}
		for _, c := range cols[1:] {
			total = append(total, byCol[c])
		}
		printTable(pdf, cols, rows, total)
	}
	apart(pdf, rep)
	return pdf.Output(w)
}

// The printed table's measures, in mm (the font in points).
const (
	pageBottom = 12.0 // the bottom margin, where a page breaks
	cellFont   = 7.0
	headLine   = 3.2  // a line of a column's header
	rowHeight  = 4.6  // a row of values
	headWidth  = 24.0 // a header wider than this wraps, at "." and then "_"
)

// printTable prints a table whose first column names each row (the
// crossing), with the CSV's column names as headers, and a row of totals
// in bold unless total is nil. Columns that do not
// fit across the page go to further parts, each with the first column
// again; a part that runs over a page repeats its header there.
func printTable(pdf *fpdf.Fpdf, cols []string, rows [][]string, total []string) {
	heads := make([][]string, len(cols))
	widths := make([]float64, len(cols))
	pdf.SetFont("Helvetica", "B", cellFont)
	for i, c := range cols {
		heads[i] = wrapHead(pdf, c)
		for _, l := range heads[i] {
			widths[i] = max(widths[i], pdf.GetStringWidth(l))
		}
		if total != nil {
			widths[i] = max(widths[i], pdf.GetStringWidth(total[i]))
		}
	}
	pdf.SetFont("Helvetica", "", cellFont)
	for _, r := range rows {
		for i, v := range r {
			widths[i] = max(widths[i], pdf.GetStringWidth(v))
		}
	}
	for i := range widths {
		widths[i] += 2*pdf.GetCellMargin() + 0.5
	}
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	room := pageW - left - right - widths[0]
	var parts [][]int // column indexes after the first
	used := room
	for i := 1; i < len(cols); i++ {
		if used+widths[i] > room {
			parts = append(parts, nil)
			used = 0
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], i)
		used += widths[i]
	}
	for n, part := range parts {
		part = append([]int{0}, part...)
		if len(parts) > 1 {
			pdf.SetFont("Helvetica", "B", 9)
			pdf.CellFormat(0, 6, fmt.Sprintf("Table, part %d of %d: %s to %s", n+1, len(parts), cols[part[1]], cols[part[len(part)-1]]), "", 1, "", false, 0, "")
		}
		printHead(pdf, part, heads, widths)
		for _, r := range rows {
			printRow(pdf, part, heads, widths, r, "")
		}
		if total != nil {
			printRow(pdf, part, heads, widths, total, "B")
		}
		pdf.Ln(4)
	}
}

// printHead prints the header of a part's columns, each name on as many
// lines as it wraps to.
func printHead(pdf *fpdf.Fpdf, part []int, heads [][]string, widths []float64) {
	lines := 1
	for _, i := range part {
		lines = max(lines, len(heads[i]))
	}
	h := float64(lines)*headLine + 1
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+h+rowHeight > pageH-pageBottom {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", cellFont)
	x, y := pdf.GetX(), pdf.GetY()
	for _, i := range part {
		pdf.Rect(x, y, widths[i], h, "D")
		for j, l := range heads[i] {
			pdf.SetXY(x, y+0.5+float64(j)*headLine)
			pdf.CellFormat(widths[i], headLine, l, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	left, _, _, _ := pdf.GetMargins()
	pdf.SetXY(left, y+h)
}

// printRow prints a row's values of a part's columns (numbers to the
// right), on a new page under the header again if the page is full.
func printRow(pdf *fpdf.Fpdf, part []int, heads [][]string, widths []float64, row []string, style string) {
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+rowHeight > pageH-pageBottom {
		pdf.AddPage()
		printHead(pdf, part, heads, widths)
	}
	pdf.SetFont("Helvetica", style, cellFont)
	for _, i := range part {
		align := "L"
		if _, err := strconv.ParseFloat(row[i], 64); err == nil && i > 0 {
			align = "R"
		}
		pdf.CellFormat(widths[i], rowHeight, row[i], "1", 0, align, false, 0, "")
	}
	pdf.Ln(-1)
}

// wrapHead breaks a column's name into header lines no wider than
// headWidth where it can: after each "." of a breakdown's path, and inside
// a part still too wide, after each "_". The lines, joined, are the name.
func wrapHead(pdf *fpdf.Fpdf, name string) []string {
	var lines []string
	line := ""
	add := func(piece string) {
		if line != "" && pdf.GetStringWidth(line+piece) > headWidth {
			lines = append(lines, line)
			line = ""
		}
		line += piece
	}
	for _, part := range strings.SplitAfter(name, ".") {
		if pdf.GetStringWidth(part) <= headWidth {
			add(part)
			continue
		}
		for _, word := range strings.SplitAfter(part, "_") {
			add(word)
		}
	}
	return append(lines, line)
}

// apart prints the totals that are no column's: counts of crossings and
// shares (as the compliance report's crossings meeting every window), and
// breakdowns only the totals have (compliance by border and field
// office), each a table of its own.
func apart(pdf *fpdf.Fpdf, rep outbound.Report) {
	cols := map[string]bool{}
	if len(rep.Rows) > 0 {
		for _, c := range Columns(rep) {
			cols[c] = true
		}
	}
	var scalars []string
	var groups []outbound.Cell
	for _, c := range rep.Totals {
		if g, ok := c.Value.(outbound.Row); ok {
			if !cols[string(c.Key)+"."+firstColumn(g)] {
				groups = append(groups, c)
			}
			continue
		}
		if !cols[string(c.Key)] {
			scalars = append(scalars, fmt.Sprintf("%s: %s", strings.ReplaceAll(string(c.Key), "_", " "), short(c.Value)))
		}
	}
	if len(scalars) > 0 {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(0, 6, "Totals", "", 1, "", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5, strings.Join(scalars, "; ")+".", "", "", false)
		pdf.Ln(3)
	}
	for _, g := range groups {
		var names []string
		var rows [][]string
		for _, member := range g.Value.(outbound.Row) {
			cells := []Cell{{"value", member.Value}}
			if sub, ok := member.Value.(outbound.Row); ok {
				cells = Flatten(sub)
			}
			if names == nil {
				names = []string{string(g.Key)}
				for _, c := range cells {
					names = append(names, c.Column)
				}
			}
			row := []string{string(member.Key)}
			for _, c := range cells {
				row = append(row, short(c.Value))
			}
			rows = append(rows, row)
		}
		if names == nil {
			continue
		}
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(0, 6, "Totals "+strings.ReplaceAll(string(g.Key), "_", " "), "", 1, "", false, 0, "")
		printTable(pdf, names, rows, nil)
	}
}

// firstColumn is the flattened name of a breakdown's first column, to
// tell a breakdown the rows have (by_modality) from one only the totals
// have (by_border).
func firstColumn(g outbound.Row) string {
	if cells := Flatten(g); len(cells) > 0 {
		return cells[0].Column
	}
	return ""
}

// chart draws the main metric of each crossing as a bar, the largest 25,
// under a title that says which it shows.
func chart(pdf *fpdf.Fpdf, rep outbound.Report) {
	bars, valued := Ranked(rep, 25)
	if ChartMetric[rep.Report] == "" {
		return
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(0, 6, ChartTitle(rep, len(bars), valued), "", 1, "", false, 0, "")
	if len(bars) == 0 {
		pdf.Ln(2)
		return
	}
	top := bars[0].Value
	if top <= 0 {
		top = 1
	}
	pdf.SetFont("Helvetica", "", 7)
	x0, y0 := pdf.GetX(), pdf.GetY()
	for i, b := range bars {
		y := y0 + float64(i)*4.2
		pdf.SetXY(x0, y)
		pdf.CellFormat(18, 4, b.Crossing, "", 0, "R", false, 0, "")
		pdf.SetFillColor(44, 110, 170)
		pdf.Rect(x0+20, y+0.5, 150*b.Value/top, 3, "F")
		pdf.SetXY(x0+172, y)
		pdf.CellFormat(30, 4, short(b.Value), "", 0, "L", false, 0, "")
	}
	pdf.SetXY(x0, y0+float64(len(bars))*4.2+4)
}

// Number reads a report value as a number: reports hold ints, int64s and
// float64s; anything else (nil for no value, text) is not one.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// short formats a value for a printed cell.
func short(v any) string {
	if x, ok := v.(float64); ok {
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprintf("%.3f", x)
	}
	return Text(v)
}
