package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
)

// TableOptions fit a table to where it is read.
type TableOptions struct {
	// Width is the terminal's width in columns: columns the report can
	// spare are left out, and crossing names shortened, until the table
	// fits. 0 means no limit (not a terminal): every column of the
	// report's table, names in full.
	Width int
	// Names are the crossings' names by code, shown after the code.
	Names map[string]string
}

// column is one column of a report's table: a flattened metric, its
// heading and unit, how its values read, and how readily it is left out
// when the table must narrow (the highest drop first).
type column struct {
	key, head, unit string
	format          func(any) string
	drop            int  // 0: never left out
	text            bool // aligned left
}

// Value formats of the table.
var (
	count   = func(v any) string { return grouped(v, 0) }
	percent = func(v any) string {
		if x, ok := Number(v); ok {
			return strconv.FormatFloat(100*x, 'f', 1, 64)
		}
		return Text(v)
	}
	usd   = func(v any) string { return grouped(v, 0) }
	hours = func(v any) string { return grouped(v, 1) }
	ratio = func(v any) string { return grouped(v, 2) }
	// breakout is a column per word of a breakdown: key prefix.word.suffix.
	breakout = func(prefix, suffix, unit string, words ...string) []column {
		var cs []column
		for _, w := range words {
			cs = append(cs, column{key: prefix + "." + w + suffix, head: strings.ReplaceAll(w, "_", " "), unit: unit, format: count, drop: 5})
		}
		return cs
	}
)

// tableColumns choose, per report, what its table shows, in order; CSV,
// JSON, XLSX and the API keep every column. Headings are short and the
// unit is the line below them.
var tableColumns = map[string][]column{
	"coverage": slices.Concat([]column{
		{key: string(outbound.Days), head: "days", format: count, drop: 3},
		{key: string(outbound.DaysInspected), head: "inspected", unit: "days", format: count, drop: 0},
		{key: string(outbound.CoverageRate), head: "coverage", unit: "%", format: percent, drop: 0},
		{key: string(outbound.LongestGapDays), head: "longest gap", unit: "days", format: count, drop: 1},
	}, breakout(string(outbound.DaysInspectedByShift), "", "days", "day", "swing", "night")),
	"compliance": {
		{key: string(outbound.FieldOfficeKey), head: "field office", format: Text, drop: 4, text: true},
		{key: string(outbound.WindowsRequired), head: "windows", unit: "required", format: count, drop: 1},
		{key: string(outbound.WindowsMet), head: "met", unit: "windows", format: count, drop: 0},
		{key: string(outbound.ComplianceRate), head: "compliance", unit: "%", format: percent, drop: 0},
		{key: string(outbound.DaysInspected), head: "inspected", unit: "days", format: count, drop: 3},
		{key: string(outbound.CoverageRate), head: "coverage", unit: "%", format: percent, drop: 2},
	},
	"activity": slices.Concat([]column{
		{key: string(outbound.Inspections), head: "inspections", format: count, drop: 0},
		{key: string(outbound.PulseSurgeShare), head: "pulse-surge", unit: "%", format: percent, drop: 3},
	}, breakout(string(outbound.ByModality), "", "inspections", "personal_vehicle", "truck", "bus", "pedestrian", "rail")),
	"seizures": slices.Concat([]column{
		{key: string(outbound.Inspections), head: "inspections", format: count, drop: 3},
		{key: string(outbound.Seizures), head: "seizures", format: count, drop: 0},
		{key: string(outbound.ValueUSD), head: "value", unit: "USD", format: usd, drop: 0},
	}, breakout(string(outbound.ByCategory), "."+string(outbound.Count), "seizures", "currency", "firearms", "ammunition", "explosives", "narcotics", "other")),
	"yield": {
		{key: string(outbound.Inspections), head: "inspections", format: count, drop: 2},
		{key: string(outbound.Seizures), head: "seizures", format: count, drop: 2},
		{key: string(outbound.ValueUSD), head: "value", unit: "USD", format: usd, drop: 1},
		{key: string(outbound.OfficerHours), head: "officer hours", unit: "h", format: hours, drop: 1},
		{key: string(outbound.SeizuresPer100Inspections), head: "seizures", unit: "/100 insp.", format: ratio, drop: 0},
		{key: string(outbound.ValuePerOfficerHour), head: "value", unit: "USD/h", format: usd, drop: 0},
	},
	"staffing": {
		{key: string(outbound.HoursPlanned), head: "planned", unit: "h", format: count, drop: 2},
		{key: string(outbound.HoursWorked), head: "worked", unit: "h", format: count, drop: 0},
		{key: string(outbound.HoursDiverted), head: "diverted", unit: "h", format: count, drop: 0},
		{key: string(outbound.DiversionRate), head: "diverted", unit: "%", format: percent, drop: 1},
		{key: string(outbound.CostUSD), head: "cost", unit: "USD", format: usd, drop: 0},
		{key: string(outbound.CostPerInspection), head: "cost", unit: "USD/insp.", format: usd, drop: 3},
		{key: string(outbound.CostPerSeizure), head: "cost", unit: "USD/seizure", format: usd, drop: 4},
	},
	"budget": { // budget.Report's keys; "outbound budget" explains them line by line
		{key: "inspections_needed", head: "inspections", unit: "needed", format: count, drop: 3},
		{key: "officer_hours_needed", head: "needed", unit: "h", format: count, drop: 1},
		{key: "hours_worked_before", head: "worked", unit: "h", format: count, drop: 2},
		{key: "shortfall_hours", head: "shortfall", unit: "h", format: count, drop: 0},
		{key: "shortfall_shifts", head: "shortfall", unit: "shifts", format: count, drop: 4},
		{key: "staffing_usd", head: "staffing", unit: "USD", format: usd, drop: 1},
		{key: "equipment_usd", head: "equipment", unit: "USD", format: usd, drop: 1},
		{key: "total_usd", head: "total", unit: "USD", format: usd, drop: 0},
	},
	"exits": {
		{key: string(outbound.Inspections), head: "inspections", format: count, drop: 1},
		{key: string(outbound.Exits), head: "exits", format: count, drop: 1},
		{key: string(outbound.ExitsSource), head: "exits are", format: Text, drop: 2, text: true},
		{key: string(outbound.InspectionsPer1000Exits), head: "inspections", unit: "/1,000 exits", format: ratio, drop: 0},
	},
}

// minNameWidth is the narrowest the crossing column gets: the code and
// the start of the name.
const minNameWidth = 14

// WriteTable writes the report as a table for a person: one row per
// crossing (its code and name), the report's chosen columns with their
// units, and the totals, fitted to o.Width; a last line says what the
// table left out.
func WriteTable(w io.Writer, rep outbound.Report, o TableOptions) error {
	cols, ok := tableColumns[rep.Report]
	if !ok { // a report without chosen columns: all of them, in order
		var first outbound.Row
		if len(rep.Rows) > 0 {
			first = rep.Rows[0]
		}
		for i, c := range Flatten(first) {
			if c.Column != string(outbound.CrossingKey) && c.Column != string(outbound.BorderKey) {
				_, text := c.Value.(string)
				cols = append(cols, column{key: c.Column, head: strings.ReplaceAll(c.Column, "_", " "), format: ratio, drop: i + 1, text: text})
			}
		}
	}
	cols = append([]column{{key: string(outbound.BorderKey), head: "border", format: Text, drop: 4, text: true}}, cols...)

	// The cells, as text: a row per crossing, then the totals.
	name := func(r outbound.Row) string {
		code := Text(r.Get(outbound.CrossingKey))
		if n := o.Names[code]; n != "" {
			return code + " " + n
		}
		return code
	}
	var names []string
	var cells [][]string
	for _, r := range append(slices.Clone(rep.Rows), rep.Totals) {
		byCol := map[string]any{}
		for _, c := range Flatten(r) {
			byCol[c.Column] = c.Value
		}
		line := make([]string, len(cols))
		for i, c := range cols {
			if v, ok := byCol[c.key]; ok {
				line[i] = c.format(v)
			}
		}
		names = append(names, name(r))
		cells = append(cells, line)
	}
	names[len(names)-1] = "TOTAL"

	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = max(utf8.RuneCountInString(c.head), utf8.RuneCountInString(c.unit))
		for _, line := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(line[i]))
		}
	}
	nameWidth := len("crossing")
	for _, n := range names {
		nameWidth = max(nameWidth, utf8.RuneCountInString(n))
	}

	// Fit: shorten the names, then leave out columns, those the report
	// can best spare first.
	shown := make([]bool, len(cols))
	for i := range shown {
		shown[i] = true
	}
	total := func() int {
		t := nameWidth
		for i, s := range shown {
			if s {
				t += 2 + widths[i]
			}
		}
		return t
	}
	var left []string
	if o.Width > 0 {
		nameWidth = max(min(nameWidth, minNameWidth), min(nameWidth, nameWidth-(total()-o.Width)))
		for total() > o.Width {
			drop := -1
			for i, c := range cols {
				if shown[i] && c.drop > 0 && (drop < 0 || c.drop >= cols[drop].drop) {
					drop = i
				}
			}
			if drop < 0 {
				break // what is left is the report itself: wider than the terminal
			}
			shown[drop] = false
		}
		for i, c := range cols {
			if !shown[i] {
				left = append(left, c.label(cols))
			}
		}
		nameWidth = max(nameWidth, min(o.Width-(total()-nameWidth), maxWidth(names)))
	}

	line := func(first string, cell func(i int) string) {
		var b strings.Builder
		b.WriteString(pad(clip(first, nameWidth), nameWidth, true))
		for i, c := range cols {
			if shown[i] {
				b.WriteString("  ")
				b.WriteString(pad(cell(i), widths[i], c.text))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line("crossing", func(i int) string { return cols[i].head })
	line("", func(i int) string { return cols[i].unit })
	for k, n := range names {
		line(n, func(i int) string { return cells[k][i] })
	}
	period := fmt.Sprintf("%s report, %s to %s, %d crossings", rep.Report, rep.From, rep.To, len(rep.Rows))
	for _, k := range slices.Sorted(maps.Keys(rep.Filters)) {
		unit := ""
		switch {
		case strings.HasPrefix(k, "hourly_rate"):
			unit = " USD/h"
		case k == "min_coverage":
			unit = "% of days"
		case k == "target_rate":
			unit = " inspections/1,000 exits"
		}
		period += fmt.Sprintf("; %s %s%s", strings.ReplaceAll(k, "_", " "), rep.Filters[k], unit)
	}
	if len(left) > 0 {
		period += fmt.Sprintf(". Left out to fit %d columns: %s", o.Width, strings.Join(left, ", "))
	}
	_, err := fmt.Fprint(w, wrap(period+". Every column: --format csv or json.", o.Width))
	return err
}

// label names a column in a sentence: its heading, with its unit when
// another column has the same heading.
func (c column) label(cols []column) string {
	for _, o := range cols {
		if o.head == c.head && o.key != c.key && c.unit != "" {
			return c.head + " (" + c.unit + ")"
		}
	}
	return c.head
}

// wrap breaks text into lines of at most width runes at spaces (no limit
// for width 0), each ending with a newline.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		l := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case width > 0 && n+1+l > width:
			b.WriteString("\n")
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += l
	}
	b.WriteString("\n")
	return b.String()
}

// grouped formats a number with thousands separators and the given
// decimals; integers keep none.
func grouped(v any, decimals int) string {
	x, ok := Number(v)
	if !ok {
		return Text(v)
	}
	if _, isFloat := v.(float64); !isFloat {
		decimals = 0
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if frac != "" {
		whole += "." + frac
	}
	return sign + whole
}

func maxWidth(ss []string) int {
	n := 0
	for _, s := range ss {
		n = max(n, utf8.RuneCountInString(s))
	}
	return n
}

// clip shortens s to n runes, ending it with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(0, n-1)]) + "…"
}

// pad fills s to n runes, on the right (left-aligned) or the left.
func pad(s string, n int, left bool) string {
	fill := strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
	if left {
		return s + fill
	}
	return fill + s
}

// TableKeys are the flattened metrics a report's table shows, in order.
func TableKeys(name string) []string {
	var keys []string
	for _, c := range tableColumns[name] {
		keys = append(keys, c.key)
	}
	return keys
}
