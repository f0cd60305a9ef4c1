package budget

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/gaps"
)

// PlanningService publishes the gap standard and the cost catalogue,
// ranks the crossings' gaps, and computes budget requests and the funding
// line against them. It is declared here rather than beside the root
// package's services because it speaks this package's and gaps' types,
// which import the root: the root cannot name them.
type PlanningService interface {
	outbound.PlanningService
	// GapRanking scores every crossing in the actor's scope against the
	// plan's standard (the published one where the plan has none), and
	// prices the gaps when there is a catalogue.
	GapRanking(ctx context.Context, p gaps.Plan) ([]gaps.Score, []gaps.CostLine, gaps.Plan, error)
	// BudgetRequest computes a fiscal year's request for the crossings in
	// the actor's scope; with a standard and a catalogue (given, or
	// published), it adds the first-year cost of closing each crossing's
	// gaps, and the assumptions say which documents it used.
	BudgetRequest(ctx context.Context, a Assumptions, p gaps.Plan) (Assumptions, []Line, error)
	// FundingTotals sums a fiscal year's funding line per crossing in the
	// actor's scope, category and kind.
	FundingTotals(ctx context.Context, year int) (map[string]map[string]map[string]float64, error)
}
