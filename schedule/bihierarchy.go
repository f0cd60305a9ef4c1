package schedule

import (
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
)

// Two laminar families (Problem.Groups and Problem.Pools) make a
// bihierarchy (Budish, Che, Kojima and Milgrom 2013): the coverage is a
// circulation through a network of both trees, the first top-down to the
// cells, the second bottom-up from them, closed from the second root back
// to the first. Feasibility for a payoff t is a circulation with lower
// bounds, decided by max-flow; sampling rounds the circulation along
// cycles of fractional edges, each step keeping every edge's expected
// flow, until every edge is whole. Every group then covers the floor or
// the ceiling of its expected count, as with one family.

// circulation is the network of a bihierarchy and a feasible flow on it.
type circulation struct {
	nodes    int
	from, to []int
	lo, hi   []int64 // bounds per edge, in units
	cell     []int   // the cell an edge carries, -1 for a group's edge
	group    []int   // the group (or, as -2-i, pool i) an edge bounds; -1 for the closing edge and cells
	flow     []int64 // a feasible flow, after feasible
}

// newCirculation lays out the network: node a for the nodes of the
// groups' tree, then those of the pools' tree.
func newCirculation(p *Problem, a, b []node) *circulation {
	c := &circulation{nodes: len(a) + len(b)}
	inf := int64(len(p.Cells)+1) * unit
	add := func(u, v int, lo, hi int64, cell, group int) {
		c.from, c.to, c.lo, c.hi = append(c.from, u), append(c.to, v), append(c.lo, lo), append(c.hi, hi)
		c.cell, c.group = append(c.cell, cell), append(c.group, group)
	}
	limits := func(g Group) (int64, int64) {
		hi := inf
		if g.Max >= 0 {
			hi = int64(g.Max) * unit
		}
		return int64(g.Min) * unit, hi
	}
	for n := range a {
		for _, ch := range a[n].children {
			lo, hi := limits(p.Groups[a[ch].group])
			add(n, ch, lo, hi, -1, a[ch].group)
		}
		for _, cell := range a[n].cells {
			add(n, -1, 0, 0, cell, -1) // the pool side is filled in below
		}
	}
	deepest := make([]int, len(p.Cells))
	for n := range b {
		for _, cell := range b[n].cells {
			deepest[cell] = len(a) + n
		}
		for _, ch := range b[n].children {
			lo, hi := limits(p.Pools[b[ch].group])
			add(len(a)+ch, len(a)+n, lo, hi, -1, -2-b[ch].group)
		}
	}
	for e := range c.to {
		if c.cell[e] >= 0 {
			c.to[e] = deepest[c.cell[e]]
		}
	}
	add(len(a), 0, 0, inf, -1, -1) // the pools' root back to the groups' root
	return c
}

// feasible sets each cell edge's bounds to lo..hi and looks for a flow
// within every bound; it keeps the flow found.
func (c *circulation) feasible(lo, hi []int64) bool {
	for e, cell := range c.cell {
		if cell >= 0 {
			c.lo[e], c.hi[e] = lo[cell], hi[cell]
			if lo[cell] > hi[cell] {
				return false
			}
		}
	}
	s, t := c.nodes, c.nodes+1
	f := newFlow(c.nodes + 2)
	excess := make([]int64, c.nodes)
	idx := make([]int, len(c.to))
	for e := range c.to {
		if c.lo[e] > c.hi[e] {
			return false
		}
		idx[e] = f.edge(c.from[e], c.to[e], c.hi[e]-c.lo[e])
		excess[c.to[e]] += c.lo[e]
		excess[c.from[e]] -= c.lo[e]
	}
	var need int64
	for n, x := range excess {
		switch {
		case x > 0:
			f.edge(s, n, x)
			need += x
		case x < 0:
			f.edge(n, t, -x)
		}
	}
	if f.max(s, t) != need {
		return false
	}
	c.flow = make([]int64, len(c.to))
	for e := range c.to {
		c.flow[e] = c.lo[e] + f.cap[idx[e]^1] // what went through is on the reverse edge
	}
	return true
}

// solveTwo is Solve for a bihierarchy.
func solveTwo(p Problem) (*Solution, error) {
	a, err := p.tree()
	if err != nil {
		return nil, err
	}
	b, err := p.poolTree()
	if err != nil {
		return nil, err
	}
	c := newCirculation(&p, a, b)
	s := &Solution{Coverage: make([]float64, len(p.Cells)), BestResponse: []int{}, Binding: []Bound{}, circ: c}
	if len(p.Cells) == 0 {
		return s, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	cellHi := make([]int64, len(p.Cells))
	for i, cell := range p.Cells {
		hi, lo = max(hi, cell.Value), min(lo, cell.Penalty)
		cellHi[i] = int64(math.Floor(cell.Capacity * unit))
	}
	need := func(t float64) ([]int64, bool) {
		out := make([]int64, len(p.Cells))
		for i, cell := range p.Cells {
			if cell.Value <= t {
				continue
			}
			if cell.Value == cell.Penalty {
				return nil, false
			}
			x := (cell.Value - t) / (cell.Value - cell.Penalty)
			if x > 1 {
				return nil, false
			}
			out[i] = int64(math.Ceil(x * unit))
		}
		return out, true
	}
	ok := func(t float64) bool {
		l, fits := need(t)
		return fits && c.feasible(l, cellHi)
	}
	if !ok(hi) {
		l, _ := need(hi)
		return nil, infeasibleTwo(p, a, b, l, cellHi)
	}
	if !ok(lo) {
		for range 200 {
			mid := lo + (hi-lo)/2
			if mid <= lo || mid >= hi {
				break
			}
			if ok(mid) {
				hi = mid
			} else {
				lo = mid
			}
		}
	} else {
		hi = lo
	}
	ok(hi) // leaves the flow of the optimum in c
	s.q = make([]int64, len(p.Cells))
	for e, cell := range c.cell {
		if cell >= 0 {
			s.q[cell] = c.flow[e]
		}
	}
	s.finish(p)
	for e, g := range c.group {
		switch {
		case g == -1:
		case g >= 0:
			s.bind(g, p.Groups[g], c.flow[e])
		default:
			s.bind(g, p.Pools[-2-g], c.flow[e])
		}
	}
	return s, nil
}

// sampleTwo draws a schedule from the circulation by rounding it along
// cycles of fractional edges.
func (s *Solution) sampleTwo(r *mrand.Rand) []bool {
	c := s.circ
	flow := append([]int64(nil), c.flow...)
	frac := func(e int) bool { return flow[e]%unit != 0 }
	// Edges at each node, walked in random order.
	at := make([][]int, c.nodes)
	for e := range c.to {
		at[c.from[e]] = append(at[c.from[e]], e)
		at[c.to[e]] = append(at[c.to[e]], e)
	}
	for e := range c.to {
		if !frac(e) {
			continue
		}
		for frac(e) {
			// Walk fractional edges from e's tail until a node repeats:
			// every node on a fractional edge has at least two.
			var path []int  // edges walked
			var nodes []int // nodes reached, nodes[i] before path[i]
			seen := map[int]int{}
			u, came := c.from[e], -1
			for {
				if i, ok := seen[u]; ok {
					path, nodes = path[i:], nodes[i:]
					break
				}
				seen[u] = len(nodes)
				nodes = append(nodes, u)
				next := -1
				edges := at[u]
				for k, off := 0, r.IntN(len(edges)); k < len(edges); k++ {
					if x := edges[(k+off)%len(edges)]; x != came && frac(x) {
						next = x
						break
					}
				}
				path = append(path, next)
				came = next
				if c.from[next] == u {
					u = c.to[next]
				} else {
					u = c.from[next]
				}
			}
			// Along the cycle: up by a forward edge, down by a backward one.
			up, down := int64(math.MaxInt64), int64(math.MaxInt64)
			for i, x := range path {
				rise, fall := unit-flow[x]%unit, flow[x]%unit
				if c.from[x] != nodes[i] { // walked against its direction
					rise, fall = fall, rise
				}
				up, down = min(up, rise), min(down, fall)
			}
			delta := -down
			if r.Int64N(up+down) < down { // keeps the expected flow: up*down/(up+down) both ways
				delta = up
			}
			for i, x := range path {
				if c.from[x] == nodes[i] {
					flow[x] += delta
				} else {
					flow[x] -= delta
				}
			}
		}
	}
	covered := make([]bool, len(s.q))
	for e, cell := range c.cell {
		if cell >= 0 {
			covered[cell] = flow[e] == unit
		}
	}
	return covered
}

// infeasibleTwo names what makes a bihierarchy infeasible for the cells'
// least coverage lo: a group or a pool that cannot be met on its own
// family's terms, else the first pool that the groups alone overfill
// (with the fewest covered shifts they need in it), else the pools
// together.
func infeasibleTwo(p Problem, a, b []node, lo, cellHi []int64) error {
	groups, pools := Problem{Cells: p.Cells, Groups: p.Groups}, Problem{Cells: p.Cells, Groups: p.Pools}
	for _, fam := range []struct {
		p     *Problem
		nodes []node
	}{{&groups, a}, {&pools, b}} {
		bd := newBounds(fam.p, fam.nodes)
		copy(bd.cellHi, cellHi)
		if n := bd.checkNeeds(fam.p, lo); n != feasible {
			return bd.infeasible(fam.p, n)
		}
	}
	// One pool at a time against the groups: the fewest shifts they need
	// in it, by bisection on its maximum.
	fits := func(pool Group) bool {
		one := Problem{Cells: p.Cells, Groups: p.Groups, Pools: []Group{pool}}
		ob, err := one.poolTree()
		if err != nil {
			return false
		}
		return newCirculation(&one, a, ob).feasible(lo, cellHi)
	}
	for _, pool := range p.Pools {
		if pool.Max < 0 || fits(pool) {
			continue
		}
		least, most := pool.Max+1, len(pool.Cells)
		for least < most {
			mid := (least + most) / 2
			if try := pool; fits(func() Group { try.Max = mid; return try }()) {
				most = mid
			} else {
				least = mid + 1
			}
		}
		return outbound.Errorf(outbound.EUNPROCESSABLE, "pools", "%s: allows %d covered shifts, but the minimums, capacities and budgets of the crossings need at least %d in it",
			pool.Name, pool.Max, least)
	}
	names := make([]string, 0, len(p.Pools))
	same, largest := true, 0
	for _, pool := range p.Pools {
		names = append(names, fmt.Sprintf("%s (at most %d)", pool.Name, pool.Max))
		same = same && pool.Max == p.Pools[0].Max
		largest = max(largest, len(pool.Cells))
	}
	if len(names) > 3 {
		names = []string{names[0], fmt.Sprintf("... %d more ...", len(names)-2), names[len(names)-1]}
	}
	msg := "the pools together cannot meet the minimums, capacities and budgets of the crossings, though each alone can: " + strings.Join(names, ", ")
	if same { // one daily pool: say how large it must be
		all := func(m int) bool {
			q := p
			q.Pools = slices.Clone(p.Pools)
			for i := range q.Pools {
				q.Pools[i].Max = m
			}
			return newCirculation(&q, a, b).feasible(lo, cellHi)
		}
		least, most := p.Pools[0].Max+1, largest
		for least < most {
			if mid := (least + most) / 2; all(mid) {
				most = mid
			} else {
				least = mid + 1
			}
		}
		if all(least) {
			msg += fmt.Sprintf("; pools of %d each would do", least)
		}
	}
	return outbound.Errorf(outbound.EUNPROCESSABLE, "pools", "%s", msg)
}

// poolTree is the tree of a problem's pools.
func (p *Problem) poolTree() ([]node, error) {
	pools := Problem{Cells: p.Cells, Groups: p.Pools}
	return pools.tree()
}
