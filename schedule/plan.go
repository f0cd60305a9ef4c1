package schedule

import (
	"math/rand/v2"

	"github.com/outbound-oss/outbound"
)

// Plan is a drawn schedule: the shifts with an outbound operation.
type Plan struct {
	From       outbound.Date `json:"from"`
	To         outbound.Date `json:"to"`
	Seed       *uint64       `json:"seed,omitempty"` // nil when drawn from crypto/rand
	Operations []Operation   `json:"operations"`
	// AttackerValue is the best a smuggler who knows every cell's
	// coverage can expect, in weighted exits: the unit of the cells'
	// values (Build).
	AttackerValue float64      `json:"attacker_value"`
	Explain       *Explanation `json:"explain,omitempty"`
}

// Operation is one covered shift.
type Operation struct {
	Crossing string         `json:"crossing"`
	Day      outbound.Date  `json:"day"`
	Shift    outbound.Shift `json:"shift"`
}

// Explanation is what a plan was drawn from: its inputs (every one, so
// that Input rebuilds the problem), every cell's coverage, the cells the
// attacker is indifferent among, and the limits that bind.
type Explanation struct {
	Sites      []Site                     `json:"sites"`
	Budgets    []Budget                   `json:"budgets"`
	DailyPool  int                        `json:"daily_pool"` // 0: none
	CaughtLoss float64                    `json:"caught_loss"`
	ShiftShare map[outbound.Shift]float64 `json:"shift_share"`

	Cells        []CellCoverage `json:"cells"`
	BestResponse []Operation    `json:"best_response"`
	Binding      []Binding      `json:"binding"`
}

// CellCoverage is a cell with its optimal coverage.
type CellCoverage struct {
	Operation
	Value    float64 `json:"value"`
	Penalty  float64 `json:"penalty"`
	Coverage float64 `json:"coverage"`
	Payoff   float64 `json:"attacker_payoff"` // the attacker's expected gain at the cell
	Drawn    bool    `json:"drawn"`
}

// Binding is a limit the optimal coverage sits at (within rounding).
type Binding struct {
	Group string `json:"group"`
	Limit string `json:"limit"` // min or max
	Count int    `json:"count"` // covered shifts
}

// Input is the problem the plan was drawn from, rebuilt from its
// explanation; false when the plan has none.
func (p Plan) Input() (Input, bool) {
	e := p.Explain
	if e == nil {
		return Input{}, false
	}
	return Input{From: p.From, To: p.To, Sites: e.Sites, Budgets: e.Budgets, DailyPool: e.DailyPool,
		CaughtLoss: e.CaughtLoss, ShiftShare: e.ShiftShare}, true
}

// Draw builds the problem, solves it and draws one schedule with r.
func Draw(in Input, r *rand.Rand, explain bool) (Plan, error) {
	plan := Plan{From: in.From, To: in.To, Operations: []Operation{}}
	p, err := Build(in)
	if err != nil {
		return plan, err
	}
	s, err := Solve(p)
	if err != nil {
		return plan, err
	}
	plan.AttackerValue = s.Value
	drawn := s.Sample(r)
	op := func(i int) Operation { c := p.Cells[i]; return Operation{c.Crossing, c.Day, c.Shift} }
	for i, d := range drawn {
		if d {
			plan.Operations = append(plan.Operations, op(i))
		}
	}
	if !explain {
		return plan, nil
	}
	share := in.ShiftShare
	if share == nil {
		share = DefaultShiftShare
	}
	e := &Explanation{Sites: in.Sites, Budgets: in.Budgets, DailyPool: in.DailyPool, CaughtLoss: in.CaughtLoss, ShiftShare: share,
		BestResponse: []Operation{}, Binding: []Binding{}}
	for i, c := range p.Cells {
		e.Cells = append(e.Cells, CellCoverage{Operation: op(i), Value: c.Value, Penalty: c.Penalty, Coverage: s.Coverage[i],
			Payoff: payoff(c, s.Coverage[i]), Drawn: drawn[i]})
	}
	for _, i := range s.BestResponse {
		e.BestResponse = append(e.BestResponse, op(i))
	}
	for _, b := range s.Binding {
		var g Group
		if b.Group >= 0 {
			g = p.Groups[b.Group]
		} else {
			g = p.Pools[-2-b.Group]
		}
		n := g.Min
		if b.Limit == "max" {
			n = g.Max
		}
		e.Binding = append(e.Binding, Binding{Group: g.Name, Limit: b.Limit, Count: n})
	}
	plan.Explain = e
	return plan, nil
}
