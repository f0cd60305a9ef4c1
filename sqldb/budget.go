package sqldb

import (
	"context"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/policy"
)

// FiscalYear returns the days of a federal fiscal year: October 1 of the
// year before to September 30.
func FiscalYear(year int) (outbound.Date, outbound.Date) {
	return outbound.Date{Year: year - 1, Month: 10, Day: 1}, outbound.Date{Year: year, Month: 9, Day: 30}
}

// BudgetSites gathers each crossing's figures for a fiscal year's request,
// for the crossings the actor may see: the inspections the policy's
// windows require in that year, and from the year before it the exits a
// day, the inspections and their officer-minutes (rollups), and the
// outbound hours worked (staffing records).
func (db *DB) BudgetSites(ctx context.Context, year int) ([]budget.Site, error) {
	from, to := FiscalYear(year)
	before := outbound.ReportFilter{}
	before.From, before.To = FiscalYear(year - 1)
	days := float64(before.To.Time(time.UTC).Sub(before.From.Time(time.UTC)).Hours()/24 + 1)
	exits, err := db.Report(ctx, "exits", before)
	if err != nil {
		return nil, err
	}
	staffing, err := db.Report(ctx, "staffing", before)
	if err != nil {
		return nil, err
	}
	sums, err := db.sums(ctx, before, "all")
	if err != nil {
		return nil, err
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	worked := map[string]float64{}
	for _, r := range staffing.Rows {
		worked[r.Get("crossing").(string)], _ = r.Get("hours_worked").(float64)
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]outbound.Crossing{}
	for _, c := range all {
		byCode[c.Code] = c
	}
	var sites []budget.Site
	for _, r := range exits.Rows { // the exits report has every crossing in scope
		code := r.Get("crossing").(string)
		c := byCode[code]
		n, _ := r.Get("exits").(int64)
		s := budget.Site{Crossing: code, Border: string(c.Border), FieldOffice: c.FieldOffice, ExitsPerDay: float64(n) / days,
			HoursWorked: worked[code]}
		x := sums[code][rollupKey{dim: "all"}]
		s.Inspections, s.OfficerMins = x.inspections, x.officerMins
		for _, w := range policy.Windows(docs, crossingOf(c), from, to) {
			s.Minimum += w.Required
		}
		sites = append(sites, s)
	}
	return sites, nil
}
