package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
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
	weights, exits, rates := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for name, m := range map[string]map[string]float64{
		"weight":       weights, // an intelligence weight, 1 by default
		"exits":        exits,   // exits a day, in place of the exits report's
		"seizure-rate": rates,   // seizure USD per 1,000 exits, in place of the seizures report's
	} {
		fs.Func(name, "CODE=X: a crossing's "+strings.ReplaceAll(name, "-", " ")+" (repeated); see docs/scheduling.md", func(s string) error {
			code, v, ok := strings.Cut(s, "=")
			x, err := strconv.ParseFloat(v, 64)
			if !ok || err != nil {
				return fmt.Errorf("want CODE=NUMBER, not %q", s)
			}
			m[code] = x
			return nil
		})
	}
	offices := map[string]int{}
	fs.Func("office-budget", "covered shifts at most in a field office, NAME=N (repeated)", func(s string) error {
		name, n, ok := strings.Cut(s, "=")
		x, err := strconv.Atoi(n)
		if !ok || err != nil {
			return fmt.Errorf("want NAME=SHIFTS, not %q", s)
		}
		offices[name] = x
		return nil
	})
	seed := fs.String("seed", "", "draw with this seed (the same output every run); default crypto/rand")
	pool := fs.Int("daily-pool", 0, "covered shifts at most each day across all the crossings planned (teams from one pool)")
	budget := fs.Int("budget", 0, "covered shifts at most, over all crossings and the period; default the minimums plus a quarter of the other shifts")
	caught := fs.Float64("caught-loss", 1, "what a caught smuggler loses, as a multiple of what he would gain")
	format := fs.String("format", "table", "table, json or csv")
	evaluate := fs.Int("evaluate", 0, "instead of a schedule, play this many periods against a smuggler who learns from past schedules, and compare with the audit's habits")
	explain := fs.Bool("explain", false, "add each crossing's inputs, every shift's coverage, the attacker's best responses and the limits that bind")
	publish := fs.Bool("publish", false, "publish the schedule, drawn from crypto/rand, for supervisors and port nodes")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *evaluate < 0 || *evaluate > 100_000 {
		return usagef("schedule: --evaluate plays 1 to 100000 periods")
	}
	if *publish && (*seed != "" || *evaluate > 0 || *explain || *caught != 1) {
		return usagef("schedule: --publish draws from crypto/rand with the default payoffs: no --seed, --evaluate, --explain or --caught-loss")
	}
	if !slices.Contains(schedule.Formats, *format) {
		return usagef("schedule: --format %q must be one of %v", *format, schedule.Formats)
	}
	req := outbound.ScheduleRequest{Crossings: crossings, Budget: *budget, Weights: weights, FieldOfficeBudgets: offices, DailyPool: *pool,
		ExitsPerDay: exits, SeizureRates: rates}
	p, err := period("schedule", *from, *to)
	if err != nil {
		return err
	}
	req.From, req.To = p.From, p.To
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
		if *publish {
			list, err := db.PublishSchedule(ctx, req)
			if err != nil {
				return err
			}
			return writePublished(m.Stdout, list, *format)
		}
		in, err := db.PlanningInput(ctx, req, *caught)
		if err != nil {
			return err
		}
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

// writePublished prints what was published: the operations per crossing.
func writePublished(w io.Writer, list []outbound.PublishedSchedule, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"items": list})
	}
	if format == "csv" {
		cw := csv.NewWriter(w)
		cw.Write([]string{"publication", "crossing", "day", "shift"})
		for _, s := range list {
			for _, o := range s.Operations {
				cw.Write([]string{s.ID, s.Crossing, o.Day.String(), string(o.Shift)})
			}
		}
		cw.Flush()
		return cw.Error()
	}
	if len(list) > 0 {
		fmt.Fprintf(w, "Published schedule %s for %d crossings, %s to %s.\n", list[0].ID, len(list), list[0].From, list[0].To)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "crossing\tday\tshift")
	for _, s := range list {
		for _, o := range s.Operations {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Crossing, o.Day, o.Shift)
		}
	}
	return tw.Flush()
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
	fmt.Fprintf(tw, "strategy\tinterdiction rate\tsmuggler's expected gain (%s)\tshare of periods meeting every minimum\tcovered shifts a period\n", schedule.Unit)
	for _, o := range schedule.Evaluate(p, strategies, periods, rng) {
		fmt.Fprintf(tw, "%s\t%.3f\t%.1f\t%.3f\t%.1f\n", o.Strategy, o.Interdiction, o.Gain, o.Compliance, o.Shifts)
	}
	return tw.Flush()
}
