package schedule_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/schedule"
)

// A plan's explanation holds every input, the daily pool among them: the
// problem rebuilt from it (through JSON) solves to the same coverage.
func TestAPlanIsRebuiltFromItsExplanation(t *testing.T) {
	in := national(rand.New(rand.NewPCG(21, 22)), true)
	in.Sites, in.DailyPool, in.CaughtLoss = in.Sites[:40], 45, 1.5
	in.ShiftShare = map[outbound.Shift]float64{outbound.DayShift: 0.5, outbound.SwingShift: 0.3, outbound.NightShift: 0.2}
	plan, err := schedule.Draw(in, rand.New(rand.NewPCG(1, 2)), true)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := schedule.Write(&b, plan, "json"); err != nil {
		t.Fatal(err)
	}
	var read schedule.Plan
	if err := json.Unmarshal(b.Bytes(), &read); err != nil {
		t.Fatal(err)
	}
	rebuilt, ok := read.Input()
	if !ok || rebuilt.DailyPool != 45 {
		t.Fatalf("rebuilt input %+v; want the daily pool of 45", rebuilt)
	}
	again, err := schedule.Draw(rebuilt, rand.New(rand.NewPCG(1, 2)), true)
	if err != nil {
		t.Fatal(err)
	}
	if again.AttackerValue != plan.AttackerValue || len(again.Operations) != len(plan.Operations) {
		t.Fatalf("rebuilt: value %v, %d operations; the plan: %v, %d", again.AttackerValue, len(again.Operations), plan.AttackerValue, len(plan.Operations))
	}
	for i, c := range plan.Explain.Cells {
		if again.Explain.Cells[i] != c {
			t.Fatalf("cell %d: rebuilt %+v, the plan %+v", i, again.Explain.Cells[i], c)
		}
	}
	b.Reset()
	if err := schedule.Write(&b, plan, "table"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"can expect at most ", " weighted exits.\n",
		"Daily pool: at most 45 covered shifts each day across the crossings planned.",
		"Caught loss: a caught smuggler loses 1.5 times what he would gain.",
		"Shares of a day's exits: day 0.5, swing 0.3, night 0.2.",
		"Budget: at most 60 covered shifts for field office office 0.",
		"value (weighted exits)", "coverage (probability)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the explanation lacks %q", want)
		}
	}
}

// A pool that the crossings' minimums overfill is named, with what they
// need in it; pools that only fail together are named together.
func TestAnInfeasiblePoolIsNamed(t *testing.T) {
	monday := outbound.Date{Year: 2026, Month: 12, Day: 7}
	daily := func(code string, days int) schedule.Site {
		s := schedule.Site{Crossing: code, Border: "southwest", FieldOffice: "Laredo", Exits: 1000, Weight: 1}
		for d := range days {
			s.Minimums = append(s.Minimums, schedule.Minimum{Rule: "sw-daily", Start: monday.AddDays(d), End: monday.AddDays(d), Shifts: 1})
		}
		return s
	}
	in := schedule.Input{From: monday, To: monday.AddDays(1), CaughtLoss: 1, DailyPool: 2,
		Sites: []schedule.Site{daily("2304", 2), daily("2305", 2), daily("2309", 2)}}
	_, err := schedule.Draw(in, rand.New(rand.NewPCG(1, 1)), false)
	if outbound.ErrorCode(err) != outbound.EUNPROCESSABLE || outbound.ErrorField(err) != "pools" ||
		!strings.Contains(err.Error(), "daily pool on 2026-12-07: allows 2 covered shifts, but the minimums, capacities and budgets of the crossings need at least 3 in it") {
		t.Fatalf("three daily minimums in a pool of two: %v", err)
	}

	// A window over both days needs 3; each day's pool of 1 is fine
	// alone (the other day takes the rest), not together.
	weekly := schedule.Site{Crossing: "3004", Border: "northern", FieldOffice: "Seattle", Exits: 1000, Weight: 1,
		Minimums: []schedule.Minimum{{Rule: "north-surge", Start: monday, End: monday.AddDays(1), Shifts: 3}}}
	in = schedule.Input{From: monday, To: monday.AddDays(1), CaughtLoss: 1, DailyPool: 1, Sites: []schedule.Site{weekly}}
	_, err = schedule.Draw(in, rand.New(rand.NewPCG(1, 1)), false)
	if outbound.ErrorCode(err) != outbound.EUNPROCESSABLE || !strings.Contains(err.Error(),
		"the pools together cannot meet the minimums, capacities and budgets of the crossings, though each alone can: daily pool on 2026-12-07 (at most 1), daily pool on 2026-12-08 (at most 1); pools of 2 each would do") {
		t.Fatalf("pools that fail together: %v", err)
	}

	// A minimum that no pool can help with is named as before.
	in.DailyPool, in.Sites[0].Closed = 5, []outbound.Shift{outbound.DayShift, outbound.SwingShift}
	_, err = schedule.Draw(in, rand.New(rand.NewPCG(1, 1)), false)
	if !strings.Contains(err.Error(), "north-surge at 3004, 2026-12-07..2026-12-08: needs 3 covered shifts, but its shifts and the limits inside it allow 2.00") {
		t.Fatalf("a minimum beyond its crossing's open shifts: %v", err)
	}
}
