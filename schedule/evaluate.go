package schedule

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// Strategy draws one period's schedule over a problem's cells.
type Strategy struct {
	Name     string
	Coverage []float64 // how often each cell is covered: what the smuggler's choice is worth is judged by it
	Draw     func(r *rand.Rand) []bool
}

// Outcome is how a strategy fared against the adaptive smuggler.
type Outcome struct {
	Strategy     string  `json:"strategy"`
	Interdiction float64 `json:"interdiction_rate"`  // share of crossings he tried that met a team
	Gain         float64 `json:"smuggler_gain"`      // his expected gain per crossing, at the cells he chose
	Compliance   float64 `json:"minimum_compliance"` // share of periods that met every minimum
	Shifts       float64 `json:"shifts_per_period"`  // covered shifts, on average
}

// Baselines are the strategies the audit found, with the officer time of
// the optimal plan: the same shift every day at every crossing (a habit),
// the busiest shifts only, and uniform random selection of as many shifts
// as the optimal plan covers on average.
func Baselines(p Problem, s *Solution) []Strategy {
	budget := 0.0
	for _, c := range s.Coverage {
		budget += c
	}
	open := []int{}
	for i, c := range p.Cells {
		if c.Capacity > 0 {
			open = append(open, i)
		}
	}
	byValue := slices.Clone(open)
	slices.SortStableFunc(byValue, func(a, b int) int { return cmp.Compare(p.Cells[b].Value, p.Cells[a].Value) })
	fixed := func(order []int) ([]bool, []float64) {
		out, cov := make([]bool, len(p.Cells)), make([]float64, len(p.Cells))
		for _, i := range order[:min(len(order), int(budget))] {
			out[i], cov[i] = true, 1
		}
		return out, cov
	}
	// The habit: each crossing's day shift first, then its swing shift.
	habit := slices.Clone(open)
	rank := map[string]int{"day": 0, "swing": 1, "night": 2}
	slices.SortStableFunc(habit, func(a, b int) int { return rank[string(p.Cells[a].Shift)] - rank[string(p.Cells[b].Shift)] })
	habitual, habitCov := fixed(habit)
	peak, peakCov := fixed(byValue)
	uniform := make([]float64, len(p.Cells))
	for _, i := range open {
		uniform[i] = budget / float64(len(open))
	}
	return []Strategy{
		{"fixed daily slot", habitCov, func(*rand.Rand) []bool { return habitual }},
		{"busiest shifts only", peakCov, func(*rand.Rand) []bool { return peak }},
		{"uniform random", uniform, func(r *rand.Rand) []bool {
			out := make([]bool, len(p.Cells))
			for _, i := range open {
				out[i] = r.Float64() < uniform[i]
			}
			return out
		}},
	}
}

// Evaluate plays each strategy for periods rounds against a smuggler who
// has watched every past round: he estimates each cell's coverage from
// what he saw (with one covered and one uncovered round imagined, so that
// he does not trust a cell never seen covered), crosses where his expected
// gain is highest, and is interdicted if a team is there. His gain is
// judged at the strategy's true coverage of the cell he chose, which takes
// the luck of single draws out of the comparison.
func Evaluate(p Problem, strategies []Strategy, periods int, r *rand.Rand) []Outcome {
	var out []Outcome
	for _, st := range strategies {
		seen := make([]int, len(p.Cells))
		o := Outcome{Strategy: st.Name}
		for round := range periods {
			best, bestGain := 0, 0.0
			for i, c := range p.Cells {
				est := (float64(seen[i]) + 1) / (float64(round) + 2)
				if g := payoff(c, est); i == 0 || g > bestGain {
					best, bestGain = i, g
				}
			}
			drawn := st.Draw(r)
			if drawn[best] {
				o.Interdiction++
			}
			o.Gain += payoff(p.Cells[best], st.Coverage[best])
			if meets(p, drawn) {
				o.Compliance++
			}
			for i, d := range drawn {
				if d {
					seen[i]++
					o.Shifts++
				}
			}
		}
		n := float64(periods)
		o.Interdiction, o.Gain, o.Compliance, o.Shifts = o.Interdiction/n, o.Gain/n, o.Compliance/n, o.Shifts/n
		out = append(out, o)
	}
	return out
}

// meets reports whether a drawn schedule meets every group's minimum.
func meets(p Problem, drawn []bool) bool {
	for _, g := range p.Groups {
		n := 0
		for _, i := range g.Cells {
			if drawn[i] {
				n++
			}
		}
		if n < g.Min {
			return false
		}
	}
	return true
}
