package schedule_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/schedule"
)

// national is a week at 167 crossings (55 southwest, inspecting daily;
// 112 northern, weekly), 3 shifts: 3,507 cells. A tenth of the shifts have
// no team; each of 20 field offices and the nation have a budget.
func national(r *rand.Rand, minimums bool) schedule.Input {
	monday := outbound.Date{Year: 2026, Month: 11, Day: 30}
	in := schedule.Input{From: monday, To: monday.AddDays(6), CaughtLoss: 1}
	for i := range 167 {
		s := schedule.Site{Crossing: fmt.Sprint(9000 + i), Border: "northern", FieldOffice: fmt.Sprint("office ", i%20),
			Exits: 100 + 30000*r.Float64()*r.Float64(), SeizureRate: 200 * r.Float64() * r.Float64(), Weight: 1}
		if i < 55 {
			s.Border = "southwest"
		}
		if minimums {
			for _, sh := range outbound.Shifts {
				if r.IntN(10) == 0 {
					s.Closed = append(s.Closed, sh)
				}
			}
			if len(s.Closed) == 3 {
				s.Closed = s.Closed[:2]
			}
			if i < 55 {
				for d := range 7 {
					s.Minimums = append(s.Minimums, schedule.Minimum{Rule: "sw-daily", Start: monday.AddDays(d), End: monday.AddDays(d), Shifts: 1})
				}
			} else {
				s.Minimums = append(s.Minimums, schedule.Minimum{Rule: "north-weekly", Start: monday, End: monday.AddDays(6), Shifts: 1})
			}
		}
		in.Sites = append(in.Sites, s)
	}
	if minimums {
		for o := range 20 {
			in.Budgets = append(in.Budgets, schedule.Budget{FieldOffice: fmt.Sprint("office ", o), Shifts: 60})
		}
	}
	in.Budgets = append(in.Budgets, schedule.Budget{Shifts: 900})
	return in
}

func mustBuild(b *testing.B, in schedule.Input) schedule.Problem {
	p, err := schedule.Build(in)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkSolve times the optimal coverage of a national week, with and
// without minimums (the one-budget case: ORIGAMI's setting, solved by the
// same bisection, not by ORIGAMI), and, as the baseline in the same run,
// gonum's simplex against this solver on 210 cells of the one-budget case
// (gonum fails to find a basis for the constrained one at this size).
// BenchmarkAgainstGLPK compares with a current LP solver.
func BenchmarkSolve(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		p    schedule.Problem
	}{
		{"week-3507-minimums", mustBuild(b, national(r, true))},
		{"week-3507-one-budget", mustBuild(b, national(r, false))},
		{"week-3507-daily-pools", mustBuild(b, func() schedule.Input { in := national(r, true); in.DailyPool = 110; return in }())},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				if _, err := schedule.Solve(c.p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	small := national(r, false) // the one-budget form, as the baseline was measured
	small.Sites, small.Budgets = small.Sites[:10], []schedule.Budget{{Shifts: 60}}
	p := mustBuild(b, small)
	b.Run(fmt.Sprintf("lp-%d/bisection", len(p.Cells)), func(b *testing.B) {
		for range b.N {
			if _, err := schedule.Solve(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("lp-%d/gonum-simplex", len(p.Cells)), func(b *testing.B) {
		for range b.N {
			if _, err := oracle(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSample times drawing one schedule of a national week, with
// one family of limits and with daily pools as a second.
func BenchmarkSample(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, pool := range []int{0, 110} {
		in := national(r, true)
		in.DailyPool = pool
		s, err := schedule.Solve(mustBuild(b, in))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint("daily-pool-", pool), func(b *testing.B) {
			for range b.N {
				s.Sample(r)
			}
		})
	}
}
