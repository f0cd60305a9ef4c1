package web

import (
	"bytes"
	"cmp"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/report"
)

type reportsView struct {
	Filter  outbound.ReportFilter
	Period  periodForm
	Reports []reportLink
	Year    int // the next fiscal year, for the budget request
}

type reportLink struct{ Name, Definition, Href string }

// reportsPage lists the reports, each for the period asked.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	q, ok := s.filtered(w, r)
	if !ok {
		return
	}
	f := q.Filter
	v := reportsView{Filter: f, Period: q.Form, Year: outbound.FiscalYearOf(s.now()) + 1}
	for _, name := range outbound.ReportNames {
		v.Reports = append(v.Reports, reportLink{name, report.Definitions[name], link("/reports/"+name, f)})
	}
	s.render(w, r, q.Status, "reports", "Reports", v)
}

type reportView struct {
	Name, Definition string
	Filter           outbound.ReportFilter
	Period           periodForm
	Chart            template.HTML
	Columns          []string
	Rows             [][]string
	Totals           []string
	Downloads        []reportLink
	Text             string // the budget's arithmetic
	Assumptions      map[string]string
	Inputs           []budgetInput // the budget's form
}

// reportPage shows one report as a chart of its main metric by crossing,
// a table of its own metrics with the totals, and a download in each
// format (the API's, with the same filters).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	q, ok := s.filtered(w, r)
	if !ok {
		return
	}
	f := q.Filter
	name := r.PathValue("name")
	f.Summary = true // the table leaves the breakdowns to the downloads
	rep, err := s.Reports.Report(r.Context(), name, f)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := reportView{Name: name, Definition: report.Definitions[name], Filter: f, Period: q.Form}
	api := "/api/v1/reports/" + name
	for _, format := range []string{"csv", "xlsx", "pdf", "json"} {
		v.Downloads = append(v.Downloads, reportLink{Name: strings.ToUpper(format), Href: link(api, f, "format", format)})
	}
	v.Chart = reportChart(rep, f)
	v.Columns, v.Rows, v.Totals = reportTable(rep)
	s.render(w, r, q.Status, "report", title(name)+" report", v)
}

// reportChart draws the report's main metric per crossing, largest
// first, each bar leading to the crossing's page; its title says when it
// shows only the top of them, and of how many.
func reportChart(rep outbound.Report, f outbound.ReportFilter) template.HTML {
	metric := report.ChartMetric[rep.Report]
	if metric == "" {
		return ""
	}
	top, valued := report.Ranked(rep, chartTop)
	if len(top) == 0 { // the title alone says there is nothing to chart
		return template.HTML(`<figure class="chart"><figcaption id="chart-title">` + esc(report.ChartTitle(rep, 0, 0)) + `</figcaption></figure>`)
	}
	var bars []bar
	for _, b := range top {
		text := metricValue(metric, b.Value)
		bars = append(bars, bar{Label: b.Crossing, Value: b.Value, Text: text, Href: crossingLink(b.Crossing, f),
			Tip: b.Crossing + ": " + report.MetricName(metric) + " " + text})
	}
	return rankChart("chart-title", report.ChartTitle(rep, len(top), valued), bars)
}

// chartTop is how many crossings a report page's chart shows: a screen's
// worth on a desk; the table below has them all.
const chartTop = 20

// metricValue writes a metric's value for people: rates as percentages,
// dollars with their sign.
func metricValue(m outbound.Metric, x float64) string {
	switch {
	case strings.HasSuffix(string(m), "_rate"):
		return pctOf(x)
	case strings.HasSuffix(string(m), "_usd"):
		return "$" + formatNum(x)
	}
	return formatNum(x)
}

// reportTable lays out the report's own metrics (breakdowns are in the
// downloads): a header, the rows and the totals in the same columns.
func reportTable(rep outbound.Report) ([]string, [][]string, []string) {
	var cols []string
	for _, c := range report.Columns(rep) {
		if !strings.Contains(c, ".") {
			cols = append(cols, c)
		}
	}
	cell := func(r outbound.Row, c string) string { // c is a top-level column: a metric's name
		v := r.Get(outbound.Metric(c))
		if _, nested := v.(outbound.Row); nested {
			return ""
		}
		return formatCell(v)
	}
	var rows [][]string
	for _, r := range rep.Rows {
		var line []string
		for _, c := range cols {
			line = append(line, cell(r, c))
		}
		rows = append(rows, line)
	}
	totals := make([]string, len(cols))
	for i, c := range cols {
		if slices.ContainsFunc(rep.Totals, func(t outbound.Cell) bool { return string(t.Key) == c }) { // no total: blank, not "–"
			totals[i] = cell(rep.Totals, c)
		}
	}
	if len(totals) > 0 && totals[0] == "" {
		totals[0] = "Total"
	}
	return cols, rows, totals
}

// formatCell writes a report value for the page: numbers for people,
// rates under 1 as they are.
func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		if x != 0 && x > -1 && x < 1 {
			return strconv.FormatFloat(x, 'f', 4, 64)
		}
	}
	return formatNum(v)
}

// budgetInput is a field of the budget page's form: one of the
// assumptions a person changes most (the API takes the rest), with what
// the page shows in it and the problem with it, if any.
type budgetInput struct {
	ID, Name, Label, Min, Max, Step string
	Value, Error                    string
}

var budgetInputs = []budgetInput{
	{ID: "fy", Name: "fiscal_year", Label: "Fiscal year", Min: "2000", Max: "2100"},
	{ID: "tr", Name: "target_rate", Label: "Target per 1,000 exits", Min: "0", Step: "any"},
	{ID: "hr", Name: "hourly_rate", Label: "Hourly rate (USD)", Min: "0", Step: "any"},
	{ID: "bh", Name: "block_hours", Label: "Posting block (hours)", Min: "0", Max: "24", Step: "any"},
}

// budgetPage shows a fiscal year's budget request: its arithmetic line
// by line and the downloads, from the published standard and catalogue.
// An assumption of the form that is refused shows the page again, 400,
// with the problem under its field and the request on the defaults.
func (s *Server) budgetPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	asked := r.URL.Query()
	q := maps.Clone(asked)
	if !q.Has("fiscal_year") {
		q.Set("fiscal_year", strconv.Itoa(outbound.FiscalYearOf(s.now())+1))
	}
	r.URL.RawQuery = q.Encode()
	a, lines, err := s.request(r)
	status, inputs := http.StatusOK, slices.Clone(budgetInputs)
	for range inputs { // each refused field of the form, in turn, back to its default
		at := slices.IndexFunc(inputs, func(in budgetInput) bool { return in.Name == outbound.ErrorField(err) })
		if at < 0 || outbound.ErrorCode(err) != outbound.EINVALID {
			break
		}
		if status == http.StatusOK {
			status, inputs[at].Error = http.StatusBadRequest, outbound.ErrorMessage(err)+"; the request below uses the default instead."
		}
		q.Del(inputs[at].Name)
		if inputs[at].Name == "fiscal_year" {
			q.Set("fiscal_year", strconv.Itoa(outbound.FiscalYearOf(s.now())+1))
		}
		r.URL.RawQuery = q.Encode()
		a, lines, err = s.request(r)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	var text bytes.Buffer
	if err := budget.Explain(&text, a, lines); err != nil {
		s.pageFail(w, r, err)
		return
	}
	fy := outbound.FiscalYear(a.FiscalYear)
	rep := budget.Report(a, fy.From, fy.To, lines)
	for i := range inputs { // as typed where typed, so that a mistake can be corrected
		inputs[i].Value = cmp.Or(asked.Get(inputs[i].Name), rep.Filters[inputs[i].Name])
	}
	v := reportView{Name: "budget", Definition: report.Definitions["budget"], Text: text.String(), Assumptions: rep.Filters, Inputs: inputs}
	for _, format := range []string{"xlsx", "pdf", "csv", "json", "text"} {
		v.Downloads = append(v.Downloads, reportLink{Name: strings.ToUpper(format), Href: "/api/v1/reports/budget?" + r.URL.Query().Encode() + "&format=" + format})
	}
	v.Columns, v.Rows, v.Totals = reportTable(rep)
	s.render(w, r, status, "budget", "Budget request", v)
}
