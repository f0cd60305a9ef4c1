package schedule_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/outbound-oss/outbound/schedule"
)

// Every drawn schedule meets every minimum and maximum, each group covers
// the floor or the ceiling of its expected count, and over many draws each
// cell is covered as often as its coverage says.
func TestSamplesMeetEveryLimitAndMatchTheCoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	p, s := mustSolve(t, national(r, true))
	const draws = 10_000
	counts := make([]int, len(p.Cells))
	for d := range draws {
		covered := s.Sample(r)
		for i, c := range covered {
			if c {
				counts[i]++
				if p.Cells[i].Capacity == 0 {
					t.Fatalf("draw %d covers cell %d, which no team can work", d, i)
				}
			}
		}
		checkDraw(t, d, p, s, covered)
	}
	// Draws are independent, so a cell's frequency has a standard error
	// of sqrt(p(1-p)/draws), 0.005 at p = 0.5: allow five of them. (At
	// 0.01, about 2 standard errors, some of 3,507 cells would fall
	// outside by chance alone; the log says how many.)
	worst, outside := 0.0, 0
	for i, n := range counts {
		pr := s.Coverage[i]
		got := float64(n) / draws
		worst = max(worst, math.Abs(got-pr))
		if math.Abs(got-pr) > 0.01 {
			outside++
		}
		if tol := 5 * math.Sqrt(pr*(1-pr)/draws); math.Abs(got-pr) > tol+1e-12 {
			t.Errorf("cell %d: covered in %.4f of draws; its coverage is %.4f (tolerance %.4f)", i, got, pr, tol)
		}
	}
	t.Logf("%d cells, %d groups, %d draws: largest gap between frequency and coverage %.4f; %d cells beyond 0.01",
		len(p.Cells), len(p.Groups), draws, worst, outside)
}

// A seeded generator draws the same schedules again.
func TestSeededDrawsRepeat(t *testing.T) {
	s, err := schedule.Solve(random(rand.New(rand.NewPCG(2, 2)), 4, 2))
	if err != nil {
		t.Fatal(err)
	}
	a, b := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
	for range 100 {
		x, y := s.Sample(a), s.Sample(b)
		for i := range x {
			if x[i] != y[i] {
				t.Fatal("the same seed drew different schedules")
			}
		}
	}
}

// A random pulse-and-surge operation draws exactly its count of crossings,
// each as often as the game's coverage says: (1 - t/V)/2 at worth V when a
// caught smuggler loses what he carries.
func TestPickSitesFollowsTheCoverage(t *testing.T) {
	sites := []schedule.Site{{Crossing: "A", Exits: 100, Weight: 1}, {Crossing: "B", Exits: 10, Weight: 1}, {Crossing: "C", Exits: 1, Weight: 1}}
	r := rand.New(rand.NewPCG(4, 4))
	const draws = 4000
	seen := map[string]int{}
	for range draws {
		got, err := schedule.PickSites(sites, 1, r)
		if err != nil || len(got) != 1 {
			t.Fatalf("a draw of one: %v %v", got, err)
		}
		seen[got[0]]++
	}
	// Equal payoffs t = V(1 - 2c) at every site, coverages summing to 1:
	// t = 1/(1/100 + 1/10 + 1) = 0.9009.
	tv := 1 / (0.01 + 0.1 + 1)
	for _, s := range sites {
		want := (1 - tv/s.Exits) / 2
		got := float64(seen[s.Crossing]) / draws
		if sd := math.Sqrt(want * (1 - want) / draws); math.Abs(got-want) > 5*sd {
			t.Errorf("%s drawn %.3f of the time; the coverage is %.3f", s.Crossing, got, want)
		}
	}
	if _, err := schedule.PickSites(sites, 4, r); err == nil {
		t.Error("drew 4 of 3 crossings")
	}
}

// FuzzSolveAndSample: whatever the instance, a solution stays within every
// limit and so does every draw from it.
func FuzzSolveAndSample(f *testing.F) {
	for _, seed := range [][2]uint64{{1, 2}, {3, 4}, {5, 6}, {7, 8}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b uint64) {
		r := rand.New(rand.NewPCG(a, b))
		p := random(r, 1+r.IntN(4), 1+r.IntN(4))
		if a%2 == 0 {
			p = withPools(r, p)
		}
		s, err := schedule.Solve(p)
		if err != nil {
			return // infeasible instances are refused; the LP tests check that they are
		}
		checkLimits(t, p, s.Coverage)
		for range 20 {
			checkDraw(t, 0, p, s, s.Sample(r))
		}
	})
}

// With a second family (pools per day across crossings), every draw still
// meets every limit of both, and cells are covered as often as they should.
func TestSamplesWithPoolsMeetEveryLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var p schedule.Problem
	var s *schedule.Solution
	for {
		p = withPools(r, random(r, 6, 3))
		var err error
		if s, err = schedule.Solve(p); err == nil {
			break
		}
	}
	const draws = 3000
	counts := make([]int, len(p.Cells))
	for d := range draws {
		covered := s.Sample(r)
		checkDraw(t, d, p, s, covered)
		for i, c := range covered {
			if c {
				counts[i]++
			}
		}
	}
	for i, n := range counts {
		pr, got := s.Coverage[i], float64(n)/draws
		if tol := 5 * math.Sqrt(pr*(1-pr)/draws); math.Abs(got-pr) > tol+1e-12 {
			t.Errorf("cell %d: covered in %.4f of draws; its coverage is %.4f", i, got, pr)
		}
	}
	t.Logf("%d cells, %d groups, %d pools, %d draws", len(p.Cells), len(p.Groups), len(p.Pools), draws)
}

// The national week with a daily pool of 110 teams across all crossings:
// the pools bind, and no draw breaks a limit of either family.
func TestNationalWeekWithDailyPools(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	in := national(r, true)
	in.DailyPool = 110
	p, s := mustSolve(t, in)
	bound := 0
	for _, b := range s.Binding {
		if b.Group < 0 {
			bound++
		}
	}
	if bound == 0 {
		t.Fatal("no daily pool binds: the test would not test the second family")
	}
	for d := range 300 {
		checkDraw(t, d, p, s, s.Sample(r))
	}
	t.Logf("%d of %d daily pools bind; attacker value %.1f", bound, len(p.Pools), s.Value)
}

// checkDraw checks one drawn schedule: every group and pool within its
// limits, and covering the floor or the ceiling of its expected count.
func checkDraw(t *testing.T, d int, p schedule.Problem, s *schedule.Solution, covered []bool) {
	t.Helper()
	for _, g := range append(append([]schedule.Group{}, p.Groups...), p.Pools...) {
		n, want := 0, 0.0
		for _, i := range g.Cells {
			want += s.Coverage[i]
			if covered[i] {
				n++
			}
		}
		if n < g.Min || g.Max >= 0 && n > g.Max || float64(n) < math.Floor(want+1e-9) || float64(n) > math.Ceil(want-1e-9) {
			t.Fatalf("draw %d: %s covers %d; limits %d..%d, expected %.4f", d, g.Name, n, g.Min, g.Max, want)
		}
	}
}

// mustSolve builds and solves an input.
func mustSolve(t *testing.T, in schedule.Input) (schedule.Problem, *schedule.Solution) {
	t.Helper()
	p, err := schedule.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	s, err := schedule.Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}
