// Package schedule plans outbound inspection operations that a smuggler
// who watches them cannot exploit, and that meet every hard minimum in
// every schedule drawn.
//
// The model is a security game over cells (a crossing's shift on a day).
// The defender covers each cell with some probability; the attacker sees
// those probabilities and picks the cell that pays him most. Solve finds
// the coverage that minimises the attacker's best payoff (the zero-sum, or
// robust, Stackelberg equilibrium) under hard constraints on groups of
// cells: minimums (the policy's frequencies), and maximums (capacity and
// budgets). The groups must be laminar (any two are nested or disjoint),
// which makes both the solve and the sampling exact and fast; Sample
// draws a concrete schedule whose every group count is the floor or the
// ceiling of its expected count, so every minimum and maximum holds in
// every draw. docs/scheduling.md has the math. The package is pure:
// randomness comes from the caller.
package schedule

import (
	"slices"

	"github.com/outbound-oss/outbound"
)

// Cell is one target: a crossing's shift on a local day.
type Cell struct {
	Crossing string
	Day      outbound.Date
	Shift    outbound.Shift
	// Value is what the attacker gains by crossing through the cell when
	// it is not covered; Penalty what he gains (usually a loss, so
	// negative) when it is. Penalty must not exceed Value.
	Value, Penalty float64
	// Capacity is the most coverage the cell can have, 0 to 1: 0 when no
	// team can work it.
	Capacity float64
}

// Group is a set of cells whose count of covered cells is bounded in
// every drawn schedule.
type Group struct {
	Name  string // what a person reads: "minimum sw-daily at 2304 on 2026-03-02"
	Cells []int  // indexes into Problem.Cells
	Min   int    // at least this many covered
	Max   int    // at most this many covered; negative for no maximum
}

// Problem is a planning problem: the cells and the groups that constrain
// them, which must be laminar; and, optionally, a second laminar family of
// limits that may cut across the first (national pools per day across
// crossings, say).
type Problem struct {
	Cells  []Cell
	Groups []Group
	Pools  []Group
}

// node is a group in the laminar tree, or the root (all cells).
type node struct {
	group    int   // index into Problem.Groups; -1 for the root
	children []int // child nodes
	cells    []int // cells directly under the node, in no child
}

// tree arranges the groups as a tree by inclusion: node 0 is the root,
// and a group's parent is the smallest group that contains it. It fails,
// naming both, on two groups that overlap without one containing the
// other.
func (p *Problem) tree() ([]node, error) {
	for i, c := range p.Cells {
		switch {
		case c.Capacity < 0 || c.Capacity > 1:
			return nil, outbound.Errorf(outbound.EINVALID, "capacity", "cell %d (%s %s %s): capacity %g is not between 0 and 1", i, c.Crossing, c.Day, c.Shift, c.Capacity)
		case c.Penalty > c.Value:
			return nil, outbound.Errorf(outbound.EINVALID, "penalty", "cell %d (%s %s %s): the penalty %g exceeds the value %g", i, c.Crossing, c.Day, c.Shift, c.Penalty, c.Value)
		}
	}
	order := make([]int, len(p.Groups))
	for i := range order {
		order[i] = i
	}
	// Larger groups first, so that a parent comes before its children.
	slices.SortStableFunc(order, func(a, b int) int { return len(p.Groups[b].Cells) - len(p.Groups[a].Cells) })
	nodes := []node{{group: -1}}
	deepest := make([]int, len(p.Cells)) // each cell's smallest group so far, as a node
	for _, g := range order {
		cells := p.Groups[g].Cells
		if len(cells) == 0 {
			return nil, outbound.Errorf(outbound.EINVALID, "groups", "group %q has no cells", p.Groups[g].Name)
		}
		parent := -1
		for _, c := range cells {
			if c < 0 || c >= len(p.Cells) {
				return nil, outbound.Errorf(outbound.EINVALID, "groups", "group %q names cell %d of %d", p.Groups[g].Name, c, len(p.Cells))
			}
			if parent == -1 {
				parent = deepest[c]
			} else if deepest[c] != parent {
				a, b := p.Groups[g].Name, "all cells"
				if other := nodes[deepest[c]].group; other >= 0 {
					b = p.Groups[other].Name
				} else if other := nodes[parent].group; other >= 0 {
					b = p.Groups[other].Name
				}
				return nil, outbound.Errorf(outbound.EINVALID, "groups", "groups %q and %q overlap without one containing the other", a, b)
			}
		}
		// Every cell's smallest group so far is parent, so the group lies
		// within it and overlaps none of its earlier (larger) children.
		n := len(nodes)
		nodes = append(nodes, node{group: g})
		nodes[parent].children = append(nodes[parent].children, n)
		seen := map[int]bool{}
		for _, c := range cells {
			if seen[c] {
				return nil, outbound.Errorf(outbound.EINVALID, "groups", "group %q names cell %d twice", p.Groups[g].Name, c)
			}
			seen[c] = true
			deepest[c] = n
		}
	}
	for c, n := range deepest {
		nodes[n].cells = append(nodes[n].cells, c)
	}
	return nodes, nil
}
