package sqldb

import (
	"context"
	"slices"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/schedule"
)

// PlanningSites gathers what the scheduler needs to know of each crossing
// the actor may see (or of those named) for a plan over local days
// from..to: exits a day and the seizure rate over the year before the
// plan, from the exits and seizures reports, and the windows of the policy
// in force.
func (db *DB) PlanningSites(ctx context.Context, from, to outbound.Date, crossings []string) ([]schedule.Site, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	year := outbound.ReportFilter{From: from.AddDays(-365), To: from.AddDays(-1)}
	exits, err := db.Report(ctx, "exits", year)
	if err != nil {
		return nil, err
	}
	seized, err := db.Report(ctx, "seizures", year)
	if err != nil {
		return nil, err
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	for _, code := range crossings {
		if !slices.ContainsFunc(all, func(c outbound.Crossing) bool { return c.Code == code }) {
			return nil, outbound.Errorf(outbound.ENOTFOUND, "crossing", "crossing %q does not exist", code)
		}
	}
	value := map[string]float64{}
	for _, r := range seized.Rows {
		value[r.Get("crossing").(string)], _ = r.Get("value_usd").(float64)
	}
	perDay := map[string]float64{}
	for _, r := range exits.Rows {
		n, _ := r.Get("exits").(int64)
		perDay[r.Get("crossing").(string)] = float64(n) / 365
	}
	a := outbound.ActorFrom(ctx)
	var sites []schedule.Site
	for _, c := range all {
		if !a.InScope(c.Code) || len(crossings) > 0 && !slices.Contains(crossings, c.Code) {
			continue
		}
		s := schedule.Site{Crossing: c.Code, Border: string(c.Border), FieldOffice: c.FieldOffice, Exits: perDay[c.Code], Weight: 1}
		if s.Exits > 0 {
			s.SeizureRate = 1000 * value[c.Code] / (s.Exits * 365)
		}
		for _, w := range policy.Windows(docs, crossingOf(c), from, to) {
			s.Minimums = append(s.Minimums, schedule.Minimum{Rule: w.Rule, Start: w.Start, End: w.End, Shifts: w.Required})
		}
		sites = append(sites, s)
	}
	return sites, nil
}
