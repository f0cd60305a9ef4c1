package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/report"
	"golang.org/x/sync/errgroup"
)

// figure is one headline number and the report it comes from.
type figure struct {
	Label, Value, Note, Href string
}

type dashboardView struct {
	Filter       outbound.ReportFilter
	Period       periodForm
	FieldOffices []string
	Figures      []figure
	Map          template.HTML
	Legend       []legendItem
	OnMap        int // crossings drawn on the map (those with a place)
	Crossings    int // crossings in the compliance report
	Per          string
	Inspections  template.HTML
	Seizures     template.HTML
	Below        []belowRow
}

// legendItem is a compliance class on the map: its marker, what it means
// and how many crossings are in it.
type legendItem struct {
	Key   template.HTML
	Label string
	Count int
}

// mapClasses are the map's classes in the legend's order, with what each
// says.
var mapClasses = []struct{ class, label string }{
	{"met", "every window met"}, {"part", "half or more"}, {"missed", "fewer than half"}, {"nowindow", "no window in the period"},
}

// belowRow is a crossing that missed windows of the minimum.
type belowRow struct {
	Code, Name, Border, FieldOffice, Href string
	Met, Required                         int
	Rate                                  any
}

// dashboard answers the national dashboard: headline figures, the map of
// compliance, trends and the crossings below the minimum, for the period
// and filters, each figure a link to what it is made of.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	q, ok := s.filtered(w, r)
	if !ok {
		return
	}
	f := q.Filter
	per := outbound.PerWeek
	if f.To.Time(time.UTC).Sub(f.From.Time(time.UTC)) > 200*24*time.Hour {
		per = outbound.PerMonth
	}
	ctx := s.requestScope(r.Context()) // the reports share what they read
	reps := map[string]*outbound.Report{}
	// Inspections and seizures come from the trend: their sums are the
	// activity and seizures reports' totals, without reading them twice.
	for _, name := range []string{"compliance", "staffing", "exits"} {
		reps[name] = &outbound.Report{}
	}
	var trend []outbound.TrendPoint
	var crossings []outbound.Crossing
	g, gctx := errgroup.WithContext(ctx)
	for name, rep := range reps {
		g.Go(func() (err error) {
			*rep, err = s.Reports.Report(gctx, name, f)
			return err
		})
	}
	g.Go(func() (err error) { trend, err = s.Trends.Trend(gctx, f, per); return err })
	g.Go(func() (err error) { crossings, err = s.Crossings.FindCrossings(gctx); return err })
	if err := g.Wait(); err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := dashboardView{Filter: f, Period: q.Form, Per: per}
	counts := map[string]int{}
	a := outbound.ActorFrom(ctx)
	byCode := map[string]outbound.Crossing{}
	for _, c := range crossings {
		byCode[c.Code] = c
		if a.InScope(c.Code) && c.FieldOffice != "" && !slices.Contains(v.FieldOffices, c.FieldOffice) {
			v.FieldOffices = append(v.FieldOffices, c.FieldOffice)
		}
	}
	slices.Sort(v.FieldOffices)
	v.Figures = headline(f, reps, trend)

	var points []mapPoint
	for _, row := range reps["compliance"].Rows {
		code, _ := row.Get(outbound.CrossingKey).(string)
		c := byCode[code]
		met, req := count(row.Get(outbound.WindowsMet)), count(row.Get(outbound.WindowsRequired))
		class, state := complianceClass(row.Get(outbound.ComplianceRate))
		counts[class]++
		v.Crossings++
		href := crossingLink(code, f)
		if c.Latitude != nil && c.Longitude != nil {
			v.OnMap++
			points = append(points, mapPoint{Code: code, Href: href, Class: class, Lon: *c.Longitude, Lat: *c.Latitude,
				Tip: c.Name + " (" + code + "): " + state + ", " + formatNum(met) + " of " + formatNum(req) + " windows met"})
		}
		if met < req {
			v.Below = append(v.Below, belowRow{Code: code, Name: c.Name, Border: string(c.Border), FieldOffice: c.FieldOffice, Href: href,
				Met: met, Required: req, Rate: row.Get(outbound.ComplianceRate)})
		}
	}
	slices.SortFunc(v.Below, func(x, y belowRow) int { // the lowest rate first
		a, _ := report.Number(x.Rate)
		b, _ := report.Number(y.Rate)
		return cmp.Compare(a, b)
	})
	for _, m := range mapClasses {
		v.Legend = append(v.Legend, legendItem{Key: legendKey(m.class), Label: m.label, Count: counts[m.class]})
	}
	v.Map = borderMap("Crossings by compliance with the minimum frequency, "+f.From.String()+" to "+f.To.String(),
		"/static/states.svg?v="+assetVersion, points)

	var ins, seiz []bar
	for _, p := range trend {
		end := p.Start.AddDays(6)
		label := p.Start.String()[5:]
		if per == outbound.PerMonth {
			end, label = firstOfNextMonth(p.Start).AddDays(-1), p.Start.String()[:7]
		}
		if !end.Before(f.To) {
			end = f.To
		}
		from := p.Start
		if from.Before(f.From) {
			from = f.From
		}
		bf := f
		bf.From, bf.To = from, end
		ins = append(ins, bar{Label: label, Value: float64(p.Inspections), Href: link("/reports/activity", bf),
			Tip: per + " of " + p.Start.String() + ": " + formatNum(p.Inspections) + " inspections"})
		seiz = append(seiz, bar{Label: label, Value: float64(p.Seizures), Href: link("/reports/seizures", bf),
			Tip: per + " of " + p.Start.String() + ": " + formatNum(p.Seizures) + " seizures, $" + formatNum(p.ValueUSD)})
	}
	v.Inspections = barChart("chart-inspections-title", "Inspections per "+per, ins)
	v.Seizures = barChart("chart-seizures-title", "Seizures per "+per, seiz)
	s.render(w, r, q.Status, "dashboard", "Dashboard", v)
}

// headline makes the dashboard's figures from the reports' totals and
// the trend's sums.
func headline(f outbound.ReportFilter, reps map[string]*outbound.Report, trend []outbound.TrendPoint) []figure {
	var out []figure
	byBorder, _ := reps["compliance"].Totals.Get(outbound.ByBorder).(outbound.Row)
	for _, b := range outbound.Borders {
		if f.Border != "" && f.Border != string(b) {
			continue
		}
		g, _ := byBorder.Get(outbound.Metric(b)).(outbound.Row)
		out = append(out, figure{Label: title(string(b)) + " crossings meeting the minimum",
			Value: formatNum(g.Get(outbound.CrossingsMetEveryWindow)) + " of " + formatNum(g.Get(outbound.Crossings)),
			Note:  "every window of the policy's minimum frequency met", Href: link("/reports/compliance", f, "border", string(b))})
	}
	var sum outbound.TrendPoint
	for _, p := range trend {
		sum.Inspections, sum.Seizures, sum.ValueUSD = sum.Inspections+p.Inspections, sum.Seizures+p.Seizures, sum.ValueUSD+p.ValueUSD
	}
	st, ex := reps["staffing"].Totals, reps["exits"].Totals
	out = append(out,
		figure{Label: "Inspections", Value: formatNum(sum.Inspections), Href: link("/reports/activity", f)},
		figure{Label: "Seizures", Value: formatNum(sum.Seizures), Note: "$" + formatNum(sum.ValueUSD) + " declared value", Href: link("/reports/seizures", f)},
		figure{Label: "Officer hours on outbound", Value: formatNum(st.Get(outbound.HoursWorked)), Href: link("/reports/staffing", f)},
		figure{Label: "Diversion rate", Value: pctOf(st.Get(outbound.DiversionRate)), Note: "of planned outbound hours sent to inbound work", Href: link("/reports/staffing", f)},
		figure{Label: "Inspections per 1,000 exits", Value: formatNum(ex.Get(outbound.InspectionsPer1000Exits)), Href: link("/reports/exits", f)},
	)
	return out
}

// complianceClass names the map colour of a compliance rate, and says it.
func complianceClass(rate any) (class, state string) {
	r, ok := rate.(float64)
	switch {
	case !ok:
		return "nowindow", "no window of the minimum in the period"
	case r >= 1:
		return "met", "every window met"
	case r >= 0.5:
		return "part", "half or more of the windows met"
	}
	return "missed", "fewer than half of the windows met"
}
