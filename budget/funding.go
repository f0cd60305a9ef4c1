package budget

import "slices"

// FundingRow is a crossing's category on the funding line, against the
// request's plan.
type FundingRow struct {
	Crossing  string  `json:"crossing"`
	Category  string  `json:"category"`
	Plan      float64 `json:"plan_usd"` // from the request: staffing and equipment
	Allocated float64 `json:"allocated_usd"`
	Obligated float64 `json:"obligated_usd"`
	Spent     float64 `json:"spent_usd"`
	Gap       float64 `json:"allocated_minus_plan_usd"`
}

// Funding sets the funding line's totals (crossing, category, kind:
// allocation, obligation or expenditure) against each line's plan, one
// row per crossing and category that has either, in the order of the
// lines and of categories. A crossing with funding but no line (out of
// the request) comes last.
func Funding(lines []Line, categories []string, totals map[string]map[string]map[string]float64) []FundingRow {
	var rows []FundingRow
	row := func(crossing string, plan map[string]float64) {
		for _, cat := range categories {
			t := totals[crossing][cat]
			if plan[cat] == 0 && len(t) == 0 {
				continue
			}
			r := FundingRow{Crossing: crossing, Category: cat, Plan: plan[cat], Allocated: t["allocation"], Obligated: t["obligation"], Spent: t["expenditure"]}
			r.Gap = r.Allocated - r.Plan
			rows = append(rows, r)
		}
	}
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l.Crossing] = true
		row(l.Crossing, map[string]float64{"staffing": l.StaffingCost, "equipment": l.Equipment})
	}
	var rest []string
	for c := range totals {
		if !seen[c] {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	for _, c := range rest {
		row(c, nil)
	}
	return rows
}
