package web

import (
	"net/http"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/policy"
	"golang.org/x/sync/errgroup"
)

type crossingView struct {
	Crossing    outbound.Crossing
	Filter      outbound.ReportFilter
	Period      periodForm
	Modality    string
	Outcome     string
	Modalities  []outbound.Modality
	Outcomes    []outbound.Outcome
	Months      []calendarMonth
	Inspected   int
	Days        int
	Inspections []inspectionRow
	Next        string
	Seizures    *seizureFigures
	Staffing    *staffingFigures
	Checked     int // inspections checked against the policy
	Findings    int // of them, those that broke it
	Checks      []policy.InspectionCheck
	Survey      *outbound.Survey
	Gaps        *gaps.Score
	Nodes       []outbound.NodeStatus
	NodesHidden bool
	CanEdit     bool
	Zone        *time.Location // the crossing's, for every time the page shows
	// SetApart are the records headquarters refused, at this port node.
	SetApart []outbound.SetApart
}

// seizureFigures and staffingFigures are a crossing's figures from its
// seizures and staffing report rows, read by metric constants here so
// that the template names fields: a misspelling there fails the page
// instead of showing a blank. Each is nil when its report has no row.
type seizureFigures struct{ Seizures, ValueUSD, Inspections any }

type staffingFigures struct{ Planned, Worked, Diverted, DiversionRate, Cost any }

// calendarMonth is a month of the coverage calendar, under its name: its
// days of the period, after Pad cells for the weekdays before the first.
type calendarMonth struct {
	Name string // "March 2026"
	ID   string // "2026-03", for the page's ids
	Pad  int
	Days []calendarDay
}

// calendarDay is a day of the coverage calendar and its inspections.
type calendarDay struct {
	Day         outbound.Date
	Inspections int64
}

type inspectionRow struct {
	outbound.Inspection
	Local string
}

// crossingPage shows one crossing over a period: its calendar of days
// with and without outbound inspections, its inspections (filtered,
// paged), seizures, staffing and diversions, policy findings, survey and
// gaps, and the sync of its port node.
func (s *Server) crossingPage(w http.ResponseWriter, r *http.Request) {
	q, ok := s.filtered(w, r)
	if !ok {
		return
	}
	f := q.Filter
	f.Crossing = r.PathValue("code")
	ctx := s.requestScope(r.Context()) // the reports share what they read
	if err := outbound.Authorize(ctx, outbound.ReadRecords, f.Crossing); err != nil {
		s.pageFail(w, r, err)
		return
	}
	c, err := s.Crossings.FindCrossing(ctx, f.Crossing)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	list, err := inspectionFilter(r, outbound.Filter{Crossing: f.Crossing, From: f.From, To: f.To, Limit: 50, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := crossingView{Crossing: c, Filter: f, Period: q.Form, Modality: string(list.Modality), Outcome: string(list.Outcome),
		Modalities: outbound.Modalities, Outcomes: outbound.Outcomes,
		CanEdit: outbound.Authorize(ctx, outbound.EditInspection, f.Crossing) == nil}
	var days []outbound.TrendPoint
	var seizures, staffing outbound.Report
	var ins []outbound.Inspection
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { days, err = s.Trends.Trend(gctx, f, outbound.PerDay); return err })
	g.Go(func() (err error) { seizures, err = s.Reports.Report(gctx, "seizures", f); return err })
	g.Go(func() (err error) { staffing, err = s.Reports.Report(gctx, "staffing", f); return err })
	g.Go(func() (err error) { ins, v.Next, err = s.Inspections.FindInspections(gctx, list); return err })
	g.Go(func() (err error) {
		v.Checked, v.Checks, err = s.Policies.CheckInspections(gctx, f.Crossing, f.From, f.To)
		v.Findings = len(v.Checks)
		return err
	})
	g.Go(func() (err error) {
		sv, err := s.Surveys.LatestSurvey(gctx, f.Crossing)
		if outbound.ErrorCode(err) == outbound.ENOTFOUND {
			return nil
		}
		v.Survey = &sv
		return err
	})
	g.Go(func() error {
		ranking, _, _, err := s.Planning.GapRanking(gctx, gaps.Plan{})
		if outbound.ErrorCode(err) == outbound.ENOTFOUND {
			return nil // no standard published: no gaps to show
		}
		for i := range ranking {
			if ranking[i].Crossing == f.Crossing {
				v.Gaps = &ranking[i]
			}
		}
		return err
	})
	g.Go(func() error {
		nodes, err := s.Sync.FindNodes(gctx, s.NodeStaleAfter)
		if outbound.ErrorCode(err) == outbound.EFORBIDDEN {
			v.NodesHidden = true
			return nil
		}
		for _, n := range nodes {
			if n.Crossing == f.Crossing {
				v.Nodes = append(v.Nodes, n)
			}
		}
		return err
	})
	if s.SetApart != nil {
		g.Go(func() error {
			list, err := s.SetApart.FindSetApart(gctx, false)
			for _, sa := range list {
				if sa.Crossing == f.Crossing {
					v.SetApart = append(v.SetApart, sa)
				}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, d := range days {
		if n := len(v.Months); n == 0 || v.Months[n-1].Days[0].Day.Month != d.Start.Month {
			first := d.Start.Time(time.UTC)
			v.Months = append(v.Months, calendarMonth{Name: first.Format("January 2006"), ID: first.Format("2006-01"), Pad: outbound.MondayIndex(d.Start)})
		}
		m := &v.Months[len(v.Months)-1]
		m.Days = append(m.Days, calendarDay{Day: d.Start, Inspections: d.Inspections})
		v.Days++
		if d.Inspections > 0 {
			v.Inspected++
		}
	}
	loc := c.Location()
	v.Zone = loc
	for _, in := range ins {
		v.Inspections = append(v.Inspections, inspectionRow{in, localTime(in.StartedAt, loc)})
	}
	if len(seizures.Rows) > 0 {
		row := seizures.Rows[0]
		v.Seizures = &seizureFigures{Seizures: row.Get(outbound.Seizures), ValueUSD: row.Get(outbound.ValueUSD), Inspections: row.Get(outbound.Inspections)}
	}
	if len(staffing.Rows) > 0 {
		row := staffing.Rows[0]
		v.Staffing = &staffingFigures{Planned: row.Get(outbound.HoursPlanned), Worked: row.Get(outbound.HoursWorked),
			Diverted: row.Get(outbound.HoursDiverted), DiversionRate: row.Get(outbound.DiversionRate), Cost: row.Get(outbound.CostUSD)}
	}
	if len(v.Checks) > 20 {
		v.Checks = v.Checks[:20]
	}
	s.render(w, r, q.Status, "crossing", c.Name+" ("+c.Code+")", v)
}
