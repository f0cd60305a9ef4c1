package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/gaps"
)

// publishPlan answers PUT /api/v1/planning/{kind}: the body is the YAML.
func (s *Server) publishPlan(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Planning.PublishPlan(r.Context(), r.PathValue("kind"), "request", body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) planInForce(w http.ResponseWriter, r *http.Request) {
	d, err := s.Planning.PlanInForce(r.Context(), r.PathValue("kind"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// gapRanking answers GET /api/v1/gaps: the crossings in the caller's scope
// ranked against the published standard, priced by the published
// catalogue when there is one.
func (s *Server) gapRanking(w http.ResponseWriter, r *http.Request) {
	ranking, costs, p, err := s.Planning.GapRanking(r.Context(), gaps.Plan{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if costs == nil {
		costs = []gaps.CostLine{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"standard": p.StandardFrom, "catalogue": p.CatalogueFrom, "items": ranking, "costs": costs})
}

// request computes the budget request the query describes, from the
// published standard and catalogue.
func (s *Server) request(r *http.Request) (budget.Assumptions, []budget.Line, error) {
	a, err := assumptions(r)
	if err != nil {
		return a, nil, err
	}
	return s.Planning.BudgetRequest(r.Context(), a, gaps.Plan{})
}

// assumptions reads a budget request's figures from the query, the
// defaults where none is given.
func assumptions(r *http.Request) (budget.Assumptions, error) {
	q := r.URL.Query()
	year, err := strconv.Atoi(q.Get("fiscal_year"))
	if err != nil {
		return budget.Assumptions{}, outbound.Errorf(outbound.EINVALID, "fiscal_year", "fiscal_year is required: a year such as 2027")
	}
	a := budget.Defaults(year)
	for name, v := range map[string]*float64{"target_rate": &a.TargetRate, "hourly_rate": &a.HourlyRate,
		"default_minutes": &a.DefaultMinutes, "block_hours": &a.BlockHours, "shift_hours": &a.ShiftHours} {
		if q.Has(name) {
			if *v, err = strconv.ParseFloat(q.Get(name), 64); err != nil {
				return a, outbound.Errorf(outbound.EINVALID, name, "%s %s is not a number", name, outbound.Shown(q.Get(name)))
			}
		}
	}
	return a, a.Validate()
}

// budgetRequest answers GET /api/v1/reports/budget: the request as a
// report (JSON, CSV, XLSX, PDF) or, with format=text, its arithmetic line
// by line.
func (s *Server) budgetRequest(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if err := checkFormat(format, "text"); err != nil {
		s.fail(w, r, err)
		return
	}
	a, lines, err := s.request(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "text" {
		var b bytes.Buffer
		if err := budget.Explain(&b, a, lines); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(b.Bytes())
		return
	}
	fy := outbound.FiscalYear(a.FiscalYear)
	s.writeReport(w, r, budget.Report(a, fy.From, fy.To, lines), format)
}

// fundingPlan answers GET /api/v1/funding/plan: the fiscal year's funding
// line per crossing and category against the budget request's plan.
func (s *Server) fundingPlan(w http.ResponseWriter, r *http.Request) {
	a, lines, err := s.request(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	totals, err := s.Planning.FundingTotals(r.Context(), a.FiscalYear)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := budget.Funding(lines, outbound.FundingCategories, totals)
	if rows == nil {
		rows = []budget.FundingRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"fiscal_year": a.FiscalYear, "items": rows})
}
