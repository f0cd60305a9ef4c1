package sqldb

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/policy"
)

// BudgetSites gathers each crossing's figures for a fiscal year's request,
// for the crossings the actor may see: the inspections and windows the
// policy's minimums require in that year, and from the year before it the
// exits a day, the practices (modality and techniques, with their
// measured durations and officers, and the officers the policy requires
// for each), and the outbound hours worked (staffing records).
func (db *DB) BudgetSites(ctx context.Context, year int) ([]budget.Site, error) {
	fy, last := outbound.FiscalYear(year), outbound.FiscalYear(year-1)
	from, to := fy.From, fy.To
	before := outbound.ReportFilter{From: last.From, To: last.To}
	days := float64(last.Days())
	exits, err := db.Report(ctx, "exits", before)
	if err != nil {
		return nil, err
	}
	staffing, err := db.Report(ctx, "staffing", before)
	if err != nil {
		return nil, err
	}
	practices, err := db.practices(ctx, before.From, before.To)
	if err != nil {
		return nil, err
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	worked := map[string]float64{}
	for _, r := range staffing.Rows {
		worked[r.Get(outbound.CrossingKey).(string)], _ = r.Get(outbound.HoursWorked).(float64)
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]outbound.Crossing{}
	for _, c := range all {
		byCode[c.Code] = c
	}
	pooled := practiceSums{}
	for _, m := range practices {
		for _, p := range m {
			pooled.add(*p)
		}
	}
	national := pooled.means()
	var sites []budget.Site
	for _, r := range exits.Rows { // the exits report has every crossing in scope
		code := r.Get(outbound.CrossingKey).(string)
		c := crossingOf(byCode[code])
		n, _ := r.Get(outbound.Exits).(int64)
		s := budget.Site{Crossing: code, Border: c.Border, FieldOffice: c.FieldOffice, ExitsPerDay: float64(n) / days,
			HoursWorked: worked[code], Practices: practices[code].means(), MixBasis: "crossing"}
		if len(s.Practices) == 0 {
			s.Practices, s.MixBasis = slices.Clone(national), "national"
			if len(national) == 0 {
				s.MixBasis = "default"
			}
		}
		for i := range s.Practices {
			p := &s.Practices[i]
			p.Required = policy.MinOfficers(docs, c, from, p.Modality, splitList[outbound.Technique](strings.ReplaceAll(p.Techniques, "+", ",")))
		}
		for _, w := range policy.Windows(docs, c, from, to) {
			s.Minimum += w.Required
			s.Windows++
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// practiceSums sums practices by modality and technique set: Minutes
// and Officers hold totals until means divides them by Count.
type practiceSums map[[2]string]*budget.Practice

func (m practiceSums) add(p budget.Practice) {
	key := [2]string{p.Modality, p.Techniques}
	cur := m[key]
	if cur == nil {
		cur = &budget.Practice{Modality: p.Modality, Techniques: p.Techniques}
		m[key] = cur
	}
	cur.Count, cur.Minutes, cur.Officers = cur.Count+p.Count, cur.Minutes+p.Minutes, cur.Officers+p.Officers
}

// means returns the practices with mean minutes and officers, the most
// used first.
func (m practiceSums) means() []budget.Practice {
	out := make([]budget.Practice, 0, len(m))
	for _, p := range m {
		q := *p
		q.Minutes, q.Officers = p.Minutes/float64(p.Count), p.Officers/float64(p.Count)
		out = append(out, q)
	}
	slices.SortFunc(out, func(a, b budget.Practice) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Modality, b.Modality), cmp.Compare(a.Techniques, b.Techniques))
	})
	return out
}

// practices reads, per crossing in the actor's scope, how it inspected
// from one day to another (current, unvoided versions): each modality and
// set of techniques, how often, for how many minutes and officers in all.
// The practice rollups keep them by officers too (practiceValue), so that
// minutes are officer minutes over officers.
func (db *DB) practices(ctx context.Context, from, to outbound.Date) (map[string]practiceSums, error) {
	sums, err := db.sums(ctx, outbound.ReportFilter{From: from, To: to}, "practice")
	if err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	out := map[string]practiceSums{}
	for crossing, cells := range sums {
		if !a.InScope(crossing) {
			continue
		}
		for k, v := range cells {
			modality, techniques, officers, ok := parsePractice(k.Value)
			if !ok || v.Inspections == 0 {
				continue
			}
			if out[crossing] == nil {
				out[crossing] = practiceSums{}
			}
			out[crossing].add(budget.Practice{Modality: modality, Techniques: techniques, Count: v.Inspections,
				Minutes: v.OfficerMinutes / float64(officers), Officers: float64(v.Inspections) * float64(officers)})
		}
	}
	return out, nil
}
