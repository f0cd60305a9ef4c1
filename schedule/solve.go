package schedule

import (
	"math"

	"github.com/outbound-oss/outbound"
)

// unit is the fixed point of coverage: one covered cell is unit. Integer
// sums make every group's expected count exact, so that "each draw covers
// the floor or the ceiling of it" needs no tolerance at the edges.
const unit = 1_000_000_000

// Solution is the defender's optimal coverage and what explains it.
type Solution struct {
	Coverage     []float64 // per cell, the probability it is covered
	Value        float64   // the attacker's best payoff against Coverage
	BestResponse []int     // the cells that pay the attacker Value
	Binding      []Bound   // the groups at their minimum or maximum
	q            []int64   // Coverage in units
	nodes        []node
	circ         *circulation // with pools: the optimum as a circulation
}

// Bound is a group whose expected count sits at one of its limits.
type Bound struct {
	Group int    // index into Problem.Groups, or -2-i for Problem.Pools[i]
	Limit string // "min" or "max"
}

// payoff is the attacker's gain at a cell covered with probability c.
func payoff(c Cell, cov float64) float64 { return c.Value - cov*(c.Value-c.Penalty) }

// Solve finds the coverage that minimises the attacker's best payoff under
// the groups' limits: for a payoff t every cell needs coverage of at least
// (Value - t) / (Value - Penalty), and whether such coverage fits the
// limits is decided on the laminar tree in one pass, so t is found by
// bisection. Coverage left once every cell has its share is spread over
// the cells in proportion to the room each has, up to the tree's limits.
func Solve(p Problem) (*Solution, error) {
	if len(p.Pools) > 0 {
		return solveTwo(p)
	}
	nodes, err := p.tree()
	if err != nil {
		return nil, err
	}
	s := &Solution{nodes: nodes, Coverage: make([]float64, len(p.Cells)), BestResponse: []int{}, Binding: []Bound{}}
	if len(p.Cells) == 0 {
		return s, nil
	}
	hi := math.Inf(-1)
	lo := math.Inf(1)
	for _, c := range p.Cells {
		hi = max(hi, c.Value)
		lo = min(lo, c.Penalty)
	}
	b := newBounds(&p, nodes)
	if n := b.check(&p, hi); n != feasible {
		return nil, b.infeasible(&p, n)
	}
	if b.check(&p, lo) != feasible {
		for range 200 { // far past float64's precision on any sane range
			mid := lo + (hi-lo)/2
			if mid <= lo || mid >= hi {
				break
			}
			if b.check(&p, mid) == feasible {
				hi = mid
			} else {
				lo = mid
			}
		}
	} else {
		hi = lo
	}
	b.check(&p, hi)
	s.q = b.allocate()
	s.finish(p)
	for n := 1; n < len(nodes); n++ {
		g := nodes[n].group
		s.bind(g, p.Groups[g], b.sum[n])
	}
	return s, nil
}

// finish sets the coverage from its units, the attacker's best payoff and
// the cells that give it.
func (s *Solution) finish(p Problem) {
	s.Value = math.Inf(-1)
	for i, c := range p.Cells {
		s.Coverage[i] = float64(s.q[i]) / unit
		s.Value = max(s.Value, payoff(c, s.Coverage[i]))
	}
	for i, c := range p.Cells {
		if payoff(c, s.Coverage[i]) >= s.Value-1e-7*max(1, math.Abs(s.Value)) {
			s.BestResponse = append(s.BestResponse, i)
		}
	}
}

// bind notes group id g (or, as -2-i, pool i) if its expected count sum
// sits at one of its limits, within rounding: the optimum is found for a
// payoff a hair above t* and each cell's need is rounded up to a unit, so
// a limit that binds at t* can be off by up to a unit per cell (a
// billionth of a shift each). An exact comparison left such limits out.
func (s *Solution) bind(id int, g Group, sum int64) {
	tol := int64(len(g.Cells)) + 1
	near := func(limit int) bool { d := sum - int64(limit)*unit; return -tol <= d && d <= tol }
	switch {
	case g.Min > 0 && near(g.Min):
		s.Binding = append(s.Binding, Bound{id, "min"})
	case g.Max >= 0 && near(g.Max):
		s.Binding = append(s.Binding, Bound{id, "max"})
	}
}

// bounds holds, for one payoff t, each cell's least and most coverage and
// each node's least and most expected count, in units.
type bounds struct {
	nodes          []node
	cellLo, cellHi []int64
	lo, hi, sum    []int64 // per node; sum is what allocate gave it
}

func newBounds(p *Problem, nodes []node) *bounds {
	b := &bounds{nodes: nodes, cellLo: make([]int64, len(p.Cells)), cellHi: make([]int64, len(p.Cells)),
		lo: make([]int64, len(nodes)), hi: make([]int64, len(nodes)), sum: make([]int64, len(nodes))}
	for i, c := range p.Cells {
		b.cellHi[i] = int64(math.Floor(c.Capacity * unit))
	}
	return b
}

// feasible is what check returns when the limits can be met.
const feasible = -1

// check computes the bounds for payoff t, and returns feasible when
// coverage can keep every cell's payoff at most t within every limit, or
// else the first node (or, as -2-i, cell i) that cannot.
func (b *bounds) check(p *Problem, t float64) int {
	for i, c := range p.Cells {
		need := 0.0
		switch {
		case c.Value <= t:
		case c.Value == c.Penalty:
			return -2 - i
		default:
			need = (c.Value - t) / (c.Value - c.Penalty)
		}
		if need > 1 {
			return -2 - i
		}
		b.cellLo[i] = int64(math.Ceil(need * unit))
		if b.cellLo[i] > b.cellHi[i] {
			return -2 - i
		}
	}
	return b.fit(p)
}

// checkNeeds is check for cells' least coverage given in units.
func (b *bounds) checkNeeds(p *Problem, lo []int64) int {
	copy(b.cellLo, lo)
	for i := range lo {
		if lo[i] > b.cellHi[i] {
			return -2 - i
		}
	}
	return b.fit(p)
}

// fit computes each node's bounds from its cells' and children's, and
// returns feasible, or the first node whose limits its insides cannot
// meet.
func (b *bounds) fit(p *Problem) int {
	nodes := b.nodes
	// Children come after their parents, so a backward pass sees every
	// child before its parent.
	for n := len(nodes) - 1; n >= 0; n-- {
		var lo, hi int64
		for _, c := range nodes[n].cells {
			lo, hi = lo+b.cellLo[c], hi+b.cellHi[c]
		}
		for _, ch := range nodes[n].children {
			lo, hi = lo+b.lo[ch], hi+b.hi[ch]
		}
		if g := nodes[n].group; g >= 0 {
			lo = max(lo, int64(p.Groups[g].Min)*unit)
			if m := p.Groups[g].Max; m >= 0 {
				hi = min(hi, int64(m)*unit)
			}
		}
		if lo > hi {
			return n
		}
		b.lo[n], b.hi[n] = lo, hi
	}
	return feasible
}

// allocate gives each node, from the root down, an expected count within
// its bounds: the root all it may have, and each node's count spread over
// its children and cells from their least, in proportion to the room each
// has above it. It returns each cell's coverage in units.
func (b *bounds) allocate() []int64 {
	q := make([]int64, len(b.cellLo))
	b.sum[0] = b.hi[0]
	for n, nd := range b.nodes { // parents before children
		type item struct {
			lo, hi int64
			set    func(int64)
		}
		var items []item
		for _, c := range nd.cells {
			items = append(items, item{b.cellLo[c], b.cellHi[c], func(v int64) { q[c] = v }})
		}
		for _, ch := range nd.children {
			items = append(items, item{b.lo[ch], b.hi[ch], func(v int64) { b.sum[ch] = v }})
		}
		var least, room int64
		for _, it := range items {
			least, room = least+it.lo, room+it.hi-it.lo
		}
		extra := b.sum[n] - least // 0 <= extra <= room, by the bounds
		given := make([]int64, len(items))
		left := extra
		for i, it := range items {
			if room > 0 {
				given[i] = min(it.hi-it.lo, int64(float64(extra)*float64(it.hi-it.lo)/float64(room)))
			}
			left -= given[i]
		}
		for i, it := range items { // what rounding left over, a unit at a time
			more := min(left, it.hi-it.lo-given[i])
			given[i] += more
			left -= more
		}
		for i, it := range items {
			it.set(it.lo + given[i])
		}
	}
	return q
}

// infeasible explains why no coverage meets the limits, from the node
// (or cell) check found first.
func (b *bounds) infeasible(p *Problem, n int) error {
	if n <= -2 {
		c := p.Cells[-2-n]
		return outbound.Errorf(outbound.EUNPROCESSABLE, "cells", "%s %s %s cannot be covered enough", c.Crossing, c.Day, c.Shift)
	}
	g := b.nodes[n].group
	if g < 0 {
		return outbound.Errorf(outbound.EUNPROCESSABLE, "groups", "the limits cannot all be met")
	}
	var lo, hi int64 // what the cells and groups inside allow
	for _, c := range b.nodes[n].cells {
		lo, hi = lo+b.cellLo[c], hi+b.cellHi[c]
	}
	for _, ch := range b.nodes[n].children {
		lo, hi = lo+b.lo[ch], hi+b.hi[ch]
	}
	grp := p.Groups[g]
	switch {
	case grp.Max >= 0 && grp.Min > grp.Max:
		return outbound.Errorf(outbound.EUNPROCESSABLE, "groups", "%s: a minimum of %d is above its maximum of %d", grp.Name, grp.Min, grp.Max)
	case int64(grp.Min)*unit > hi:
		return outbound.Errorf(outbound.EUNPROCESSABLE, "groups", "%s: needs %d covered shifts, but its shifts and the limits inside it allow %.2f",
			grp.Name, grp.Min, float64(hi)/unit)
	default:
		return outbound.Errorf(outbound.EUNPROCESSABLE, "groups", "%s: allows %d covered shifts, but the minimums inside it need %.2f",
			grp.Name, grp.Max, float64(lo)/unit)
	}
}
