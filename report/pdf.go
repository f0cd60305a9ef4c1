package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
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
// metrics mean, a bar chart of the main metric per crossing, and a table of
// the report's own metrics with the totals.
func WritePDF(w io.Writer, rep outbound.Report) error {
	pdf := fpdf.New("L", "mm", "Letter", "")
	pdf.SetTitle("outbound "+rep.Report+" report", false)
	pdf.SetAutoPageBreak(true, 12)
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

	cols := []outbound.Metric{}
	template := rep.Totals
	if len(rep.Rows) > 0 {
		template = rep.Rows[0]
	}
	for _, c := range template {
		if _, ok := c.Value.(outbound.Row); !ok {
			cols = append(cols, c.Key)
		}
	}
	cols = cols[:min(len(cols), 9)]
	width := 255.0 / float64(max(1, len(cols)))
	pdf.SetFont("Helvetica", "B", 8)
	for _, c := range cols {
		pdf.CellFormat(width, 6, strings.ReplaceAll(string(c), "_", " "), "1", 0, "C", false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8)
	line := func(r outbound.Row) {
		for _, c := range cols {
			pdf.CellFormat(width, 5, short(r.Get(c)), "1", 0, "R", false, 0, "")
		}
		pdf.Ln(-1)
	}
	for _, r := range rep.Rows {
		line(r)
	}
	pdf.SetFont("Helvetica", "B", 8)
	line(append(outbound.Row{{Key: outbound.CrossingKey, Value: "TOTAL"}}, rep.Totals...))
	return pdf.Output(w)
}

// chart draws the main metric of each crossing as a bar, the largest 25.
func chart(pdf *fpdf.Fpdf, rep outbound.Report) {
	metric := ChartMetric[rep.Report]
	type bar struct {
		label string
		value float64
	}
	var bars []bar
	for _, r := range rep.Rows {
		if v, ok := Number(r.Get(metric)); ok {
			bars = append(bars, bar{fmt.Sprint(r.Get(outbound.CrossingKey)), v})
		}
	}
	if len(bars) == 0 {
		return
	}
	slices.SortStableFunc(bars, func(a, b bar) int {
		switch {
		case a.value > b.value:
			return -1
		case a.value < b.value:
			return 1
		}
		return 0
	})
	bars = bars[:min(len(bars), 25)]
	top := bars[0].value
	if top <= 0 {
		top = 1
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(0, 6, strings.ReplaceAll(string(metric), "_", " ")+" by crossing", "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 7)
	x0, y0 := pdf.GetX(), pdf.GetY()
	for i, b := range bars {
		y := y0 + float64(i)*4.2
		pdf.SetXY(x0, y)
		pdf.CellFormat(18, 4, b.label, "", 0, "R", false, 0, "")
		pdf.SetFillColor(44, 110, 170)
		pdf.Rect(x0+20, y+0.5, 150*b.value/top, 3, "F")
		pdf.SetXY(x0+172, y)
		pdf.CellFormat(30, 4, short(b.value), "", 0, "L", false, 0, "")
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
