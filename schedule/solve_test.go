package schedule_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/schedule"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// random makes a small problem: crossings x days x 3 shifts, a minimum
// per crossing-day or per crossing, a budget per region of crossings and
// one for all, random values, penalties and closed cells.
func random(r *rand.Rand, crossings, days int) schedule.Problem {
	var p schedule.Problem
	start := outbound.Date{Year: 2026, Month: 3, Day: 2}
	byCrossing := make([][]int, crossings)
	for x := range crossings {
		for d := range days {
			var day []int
			for _, sh := range outbound.Shifts {
				c := schedule.Cell{Crossing: fmt.Sprint(2300 + x), Day: start.AddDays(d), Shift: sh,
					Value: 1 + 9*r.Float64(), Capacity: 1}
				c.Penalty = c.Value - (0.5+r.Float64())*c.Value - 3*r.Float64()
				if r.IntN(6) == 0 {
					c.Capacity = 0 // no team on this shift
				}
				day = append(day, len(p.Cells))
				p.Cells = append(p.Cells, c)
			}
			byCrossing[x] = append(byCrossing[x], day...)
			if r.IntN(2) == 0 {
				p.Groups = append(p.Groups, schedule.Group{Name: fmt.Sprintf("daily %d/%d", x, d), Cells: day, Min: 1, Max: -1})
			}
		}
		if r.IntN(2) == 0 {
			p.Groups = append(p.Groups, schedule.Group{Name: fmt.Sprintf("crossing %d", x), Cells: byCrossing[x], Min: days / 2, Max: -1})
		}
	}
	var all []int
	for x := 0; x < crossings; x += 2 {
		region := byCrossing[x]
		if x+1 < crossings {
			region = append(append([]int{}, region...), byCrossing[x+1]...)
		}
		all = append(all, region...)
		p.Groups = append(p.Groups, schedule.Group{Name: fmt.Sprintf("region %d", x/2), Cells: region, Max: len(region)/3 + r.IntN(len(region)/3+1)})
	}
	p.Groups = append(p.Groups, schedule.Group{Name: "nation", Cells: all, Max: r.IntN(len(all)/3 + 1)})
	return p
}

// oracle solves the same problem as a general linear program (gonum's
// simplex): minimise t subject to every cell's payoff <= t, coverage
// within 0..capacity, and every group's minimum and maximum.
func oracle(p schedule.Problem) (float64, error) {
	n := len(p.Cells)
	vars := n + 1 // coverages, then t
	var rows [][]float64
	var h []float64
	row := func() []float64 { return make([]float64, vars) }
	for i, c := range p.Cells {
		a := row() // V - c(V-P) <= t
		a[i], a[n] = -(c.Value - c.Penalty), -1
		rows, h = append(rows, a), append(h, -c.Value)
		b := row()
		b[i] = 1
		rows, h = append(rows, b), append(h, c.Capacity)
		z := row()
		z[i] = -1
		rows, h = append(rows, z), append(h, 0)
	}
	for _, g := range append(append([]schedule.Group{}, p.Groups...), p.Pools...) {
		a, b := row(), row()
		for _, i := range g.Cells {
			a[i], b[i] = -1, 1
		}
		rows, h = append(rows, a), append(h, -float64(g.Min))
		if g.Max >= 0 {
			rows, h = append(rows, b), append(h, float64(g.Max))
		}
	}
	G := mat.NewDense(len(rows), vars, nil)
	for i, r := range rows {
		G.SetRow(i, r)
	}
	obj := row()
	obj[n] = 1
	c, A, b := lp.Convert(obj, G, h, nil, nil)
	v, _, err := lp.Simplex(c, A, b, 1e-10, nil)
	return v, err
}

func TestSolveMatchesAGeneralLinearProgram(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	solved, refused := 0, 0
	for i := range 50 {
		p := random(r, 2+r.IntN(2), 1+r.IntN(3))
		want, lpErr := oracle(p)
		s, err := schedule.Solve(p)
		if lpErr != nil {
			if !errors.Is(lpErr, lp.ErrInfeasible) {
				t.Fatalf("instance %d: the oracle failed: %v", i, lpErr)
			}
			if err == nil {
				t.Fatalf("instance %d: the oracle finds it infeasible; Solve answers %v", i, s.Value)
			}
			refused++
			continue
		}
		if err != nil {
			t.Fatalf("instance %d: Solve: %v; the oracle's optimum is %v", i, err, want)
		}
		if math.Abs(s.Value-want) > 1e-6 {
			t.Fatalf("instance %d (%d cells): Solve's attacker payoff %.9f; the linear program's %.9f", i, len(p.Cells), s.Value, want)
		}
		checkLimits(t, p, s.Coverage)
		solved++
	}
	t.Logf("%d solved, %d infeasible", solved, refused)
	if solved < 20 || refused < 5 {
		t.Fatalf("%d instances solved, %d infeasible: the generator should make both", solved, refused)
	}
}

// checkLimits checks expected coverage against every limit.
func checkLimits(t *testing.T, p schedule.Problem, cov []float64) {
	t.Helper()
	for i, c := range p.Cells {
		if cov[i] < 0 || cov[i] > c.Capacity+1e-12 {
			t.Fatalf("cell %d: coverage %v outside 0..%v", i, cov[i], c.Capacity)
		}
	}
	for _, g := range append(append([]schedule.Group{}, p.Groups...), p.Pools...) {
		sum := 0.0
		for _, i := range g.Cells {
			sum += cov[i]
		}
		if sum < float64(g.Min)-1e-9 || g.Max >= 0 && sum > float64(g.Max)+1e-9 {
			t.Fatalf("%s: expected count %v outside %d..%d", g.Name, sum, g.Min, g.Max)
		}
	}
}

func TestOverlappingGroupsAreRefused(t *testing.T) {
	p := schedule.Problem{Cells: make([]schedule.Cell, 4), Groups: []schedule.Group{
		{Name: "monday", Cells: []int{0, 1}, Max: -1}, {Name: "week", Cells: []int{1, 2, 3}, Max: -1}}}
	for i := range p.Cells {
		p.Cells[i].Capacity = 1
	}
	_, err := schedule.Solve(p)
	if outbound.ErrorCode(err) != outbound.EINVALID || !containsAll(err.Error(), "monday", "week", "overlap") {
		t.Fatalf("overlapping groups: %v", err)
	}
}

func TestAnImpossibleMinimumIsExplained(t *testing.T) {
	p := schedule.Problem{Cells: []schedule.Cell{{Crossing: "2304", Capacity: 1, Value: 1}, {Crossing: "2304", Capacity: 0, Value: 1}},
		Groups: []schedule.Group{{Name: "sw-daily at 2304", Cells: []int{0, 1}, Min: 2, Max: -1}}}
	_, err := schedule.Solve(p)
	if outbound.ErrorCode(err) != outbound.EUNPROCESSABLE || !containsAll(err.Error(), "sw-daily at 2304", "needs 2", "allow 1.00") {
		t.Fatalf("an impossible minimum: %v", err)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// withPools adds a second family to a random problem: a pool per day and
// shift across every crossing, inside a pool per day.
func withPools(r *rand.Rand, p schedule.Problem) schedule.Problem {
	byDay := map[outbound.Date][]int{}
	byShift := map[string][]int{}
	var days []outbound.Date
	for i, c := range p.Cells {
		if byDay[c.Day] == nil {
			days = append(days, c.Day)
		}
		byDay[c.Day] = append(byDay[c.Day], i)
		k := c.Day.String() + string(c.Shift)
		byShift[k] = append(byShift[k], i)
	}
	for _, d := range days {
		p.Pools = append(p.Pools, schedule.Group{Name: "pool " + d.String(), Cells: byDay[d], Max: len(byDay[d])/2 + r.IntN(len(byDay[d])/2+1)})
		for _, sh := range outbound.Shifts {
			cells := byShift[d.String()+string(sh)]
			p.Pools = append(p.Pools, schedule.Group{Name: "pool " + d.String() + " " + string(sh), Cells: cells, Min: r.IntN(2), Max: -1})
		}
	}
	return p
}

func TestSolveWithPoolsMatchesAGeneralLinearProgram(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	solved, refused := 0, 0
	for i := range 60 {
		p := withPools(r, random(r, 2+r.IntN(2), 1+r.IntN(3)))
		want, lpErr := oracle(p)
		s, err := schedule.Solve(p)
		switch {
		case lpErr != nil && !errors.Is(lpErr, lp.ErrInfeasible):
			t.Fatalf("instance %d: the oracle failed: %v", i, lpErr)
		case lpErr != nil && err == nil:
			t.Fatalf("instance %d: the oracle finds it infeasible; Solve answers %v", i, s.Value)
		case lpErr != nil:
			refused++
		case err != nil:
			t.Fatalf("instance %d: Solve: %v; the oracle's optimum is %v", i, err, want)
		case math.Abs(s.Value-want) > 1e-6:
			t.Fatalf("instance %d (%d cells): Solve's attacker payoff %.9f; the linear program's %.9f", i, len(p.Cells), s.Value, want)
		default:
			checkLimits(t, p, s.Coverage)
			solved++
		}
	}
	t.Logf("%d solved, %d infeasible", solved, refused)
	if solved < 15 || refused < 3 {
		t.Fatalf("%d solved, %d infeasible: the generator should make both", solved, refused)
	}
}
