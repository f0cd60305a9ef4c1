package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/schedule"
	"github.com/outbound-oss/outbound/sqldb"
)

// scheduleCmd draws a schedule of outbound operations for a period.
func (m *Main) scheduleCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("schedule", false)
	from := fs.String("from", "", "first local day, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last local day, YYYY-MM-DD (required; at most 92 days)")
	var crossings []string
	fs.Func("crossing", "plan only these crossings (CODE, repeated or comma-separated); default all", func(s string) error {
		crossings = append(crossings, strings.Split(s, ",")...)
		return nil
	})
	seed := fs.String("seed", "", "draw with this seed (the same output every run); default crypto/rand")
	budget := fs.Int("budget", -1, "covered shifts at most, over all crossings and the period; default the minimums plus a quarter of the other shifts")
	caught := fs.Float64("caught-loss", 1, "what a caught smuggler loses, as a multiple of what he would gain")
	format := fs.String("format", "table", "table, json or csv")
	evaluate := fs.Int("evaluate", 0, "instead of a schedule, play this many periods against a smuggler who learns from past schedules, and compare with the audit's habits")
	explain := fs.Bool("explain", false, "add each crossing's inputs, every shift's coverage, the attacker's best responses and the limits that bind")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if !slices.Contains(schedule.Formats, *format) {
		return usagef("schedule: --format %q must be one of %v", *format, schedule.Formats)
	}
	in := schedule.Input{CaughtLoss: *caught}
	var err error
	if in.From, err = outbound.ParseDate(*from); err != nil {
		return usagef("schedule: --from: %s", outbound.ErrorMessage(err))
	}
	if in.To, err = outbound.ParseDate(*to); err != nil {
		return usagef("schedule: --to: %s", outbound.ErrorMessage(err))
	}
	if in.To.Before(in.From) || in.From.AddDays(91).Before(in.To) {
		return usagef("schedule: --to must be on or after --from, and at most 92 days on")
	}
	if *caught < 0 {
		return usagef("schedule: --caught-loss must not be negative")
	}
	rng := schedule.CryptoRand()
	var seedValue *uint64
	if *seed != "" {
		n, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return usagef("schedule: --seed %q is not a whole number", *seed)
		}
		rng, seedValue = rand.New(rand.NewPCG(n, n)), &n
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		if in.Sites, err = db.PlanningSites(ctx, in.From, in.To, crossings); err != nil {
			return err
		}
		if len(in.Sites) == 0 {
			return outbound.Errorf(outbound.EINVALID, "crossing", "no crossing to plan for: import BTS ports or add crossings first")
		}
		n := *budget
		if n < 0 {
			if n, err = defaultBudget(in); err != nil {
				return err
			}
		}
		in.Budgets = []schedule.Budget{{Shifts: n}}
		if *evaluate > 0 {
			return m.evaluate(in, *evaluate, rng)
		}
		plan, err := schedule.Draw(in, rng, *explain)
		if err != nil {
			return err
		}
		plan.Seed = seedValue
		return schedule.Write(m.Stdout, plan, *format)
	})
}

// evaluate prints how the optimal plan and the baselines fare against an
// adaptive smuggler over the given number of periods.
func (m *Main) evaluate(in schedule.Input, periods int, rng *rand.Rand) error {
	p, err := schedule.Build(in)
	if err != nil {
		return err
	}
	s, err := schedule.Solve(p)
	if err != nil {
		return err
	}
	strategies := append([]schedule.Strategy{{Name: "optimal (this planner)", Coverage: s.Coverage, Draw: s.Sample}}, schedule.Baselines(p, s)...)
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "strategy\tinterdiction rate\tsmuggler's expected gain\tperiods meeting every minimum\tshifts a period\n")
	for _, o := range schedule.Evaluate(p, strategies, periods, rng) {
		fmt.Fprintf(tw, "%s\t%.3f\t%.1f\t%.3f\t%.1f\n", o.Strategy, o.Interdiction, o.Gain, o.Compliance, o.Shifts)
	}
	return tw.Flush()
}

// defaultBudget is what the minimums need plus a quarter of the other
// shifts: room to be unpredictable beyond the minimums.
func defaultBudget(in schedule.Input) (int, error) {
	need, total, err := schedule.Need(in)
	return need + (total-need)/4, err
}
