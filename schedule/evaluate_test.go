package schedule_test

import (
	"math/rand/v2"
	"testing"

	"github.com/outbound-oss/outbound/schedule"
)

// Against a smuggler who learns from every past week, the optimal plan
// keeps his gain lowest and meets every minimum every week; the habits
// the audit found do not.
func TestEvaluateAgainstAnAdaptiveSmuggler(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	in := national(r, true)
	for i := range in.Sites {
		in.Sites[i].Closed = nil // a shift no team can work is a hole in every plan: it would decide the game alone
	}
	p, s := mustSolve(t, in)
	strategies := append([]schedule.Strategy{{Name: "optimal (this planner)", Coverage: s.Coverage, Draw: s.Sample}}, schedule.Baselines(p, s)...)
	out := schedule.Evaluate(p, strategies, 300, r)
	t.Logf("%-24s %12s %14s %12s %8s", "strategy", "interdicted", "smuggler gain", "compliance", "shifts")
	for _, o := range out {
		t.Logf("%-24s %12.3f %14.1f %12.3f %8.1f", o.Strategy, o.Interdiction, o.Gain, o.Compliance, o.Shifts)
	}
	best := out[0]
	if best.Compliance != 1 {
		t.Errorf("the optimal plan met every minimum in %.3f of weeks; want all", best.Compliance)
	}
	for _, o := range out[1:] {
		if o.Gain <= best.Gain {
			t.Errorf("%s leaves the smuggler %.1f, no more than the optimal plan's %.1f", o.Strategy, o.Gain, best.Gain)
		}
	}
	// Wherever he goes he can expect no more than the plan's value.
	if best.Gain > s.Value+1e-6 {
		t.Errorf("the smuggler gains %.1f a week against the optimal plan, above its value %.1f", best.Gain, s.Value)
	}
}
