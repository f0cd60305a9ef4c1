package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/outbound-oss/outbound"
)

// laredo564 is a day and a half of two field offices, each with one
// crossing: Laredo's budget of maxA shifts holds its busy crossing back,
// Seattle has room, and the national budget takes all it may. With two
// shifts Laredo's budget is worth 564 weighted exits a shift: one more
// lowers the smuggler's best by that much.
func laredo564(maxA int) Input {
	day := outbound.Date{Year: 2026, Month: 12, Day: 7}
	return Input{From: day, To: day.AddDays(1), CaughtLoss: 1,
		Sites: []Site{
			{Crossing: "2304", FieldOffice: "Laredo", Exits: 7224, Weight: 1},
			{Crossing: "3004", FieldOffice: "Seattle", Exits: 900, Weight: 1},
		},
		Budgets: []Budget{{FieldOffice: "Laredo", Shifts: maxA}, {Shifts: maxA + 2}},
	}
}

func TestALimitWithinRoundingOfItsBoundIsBinding(t *testing.T) {
	solve := func(in Input) (Problem, *Solution) {
		p, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		return p, s
	}
	p, s := solve(laredo564(2))
	_, more := solve(laredo564(3))
	if worth := s.Value - more.Value; worth < 563.5 || worth > 564.5 {
		t.Fatalf("Laredo's budget is worth %.3f a shift; the case wants 564", worth)
	}
	var sum int64
	for _, c := range p.Groups[0].Cells {
		sum += s.q[c]
	}
	if sum == 2*unit {
		t.Fatalf("Laredo's expected count is exactly its budget: the case does not test the rounding")
	}
	t.Logf("Laredo's budget of 2 shifts holds %d units (%d short), worth %.3f a shift", sum, 2*unit-sum, s.Value-more.Value)
	plan, err := Draw(laredo564(2), rand.New(rand.NewPCG(1, 1)), true)
	if err != nil {
		t.Fatal(err)
	}
	want := Binding{Group: "budget of field office Laredo", Limit: "max", Count: 2}
	if !slices.Contains(plan.Explain.Binding, want) {
		t.Errorf("the explanation's binding limits %+v leave out %+v", plan.Explain.Binding, want)
	}
}
