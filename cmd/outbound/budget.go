package main

import (
	"context"
	"flag"
	"io"
	"os"
	"slices"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/report"
	"github.com/outbound-oss/outbound/sqldb"
)

// planFlags are the figures a budget plan rests on, shared by budget and
// funding.
type planFlags struct {
	year                    *int
	target, hourly, minutes *float64
	block, shift            *float64
	standard, catalogue     *string
}

func addPlanFlags(fs *flag.FlagSet) *planFlags {
	return &planFlags{
		year:      fs.Int("fiscal-year", 0, "the fiscal year, e.g. 2027 (October 2026 to September 2027; required)"),
		target:    fs.Float64("target-rate", 0, "inspections per 1,000 exits to aim for; 0 for the policy minimum only"),
		hourly:    fs.Float64("hourly-rate", outbound.DefaultHourlyRate, "loaded cost of an officer hour, USD"),
		minutes:   fs.Float64("default-minutes", 40, "officer-minutes an inspection takes where nothing was measured"),
		block:     fs.Float64("block-hours", 2, "the shortest outbound posting of a team, hours; each window of the minimum needs one"),
		shift:     fs.Float64("shift-hours", 8, "an officer's shift, hours, to state the shortfall in shifts"),
		standard:  fs.String("standard", "", "gap standard, YAML (with --catalogue: adds the equipment that closes each crossing's gaps)"),
		catalogue: fs.String("catalogue", "", "cost catalogue, YAML"),
	}
}

func (p *planFlags) check(cmd string) error {
	switch {
	case *p.year < 2000 || *p.year > 2100:
		return usagef("%s: --fiscal-year is a year such as 2027", cmd)
	case (*p.standard == "") != (*p.catalogue == ""):
		return usagef("%s: --standard and --catalogue go together", cmd)
	case *p.target < 0 || *p.hourly < 0 || *p.block < 0:
		return usagef("%s: --target-rate, --hourly-rate and --block-hours must not be negative", cmd)
	case *p.minutes <= 0 || *p.shift <= 0:
		return usagef("%s: --default-minutes and --shift-hours must be positive", cmd)
	}
	return nil
}

// plan computes every crossing's budget line for the flags' fiscal year.
func (p *planFlags) plan(ctx context.Context, db *sqldb.DB) (budget.Assumptions, []budget.Line, error) {
	from, to := sqldb.FiscalYear(*p.year)
	a := budget.Assumptions{FiscalYear: *p.year, Days: int(to.Time(time.UTC).Sub(from.Time(time.UTC)).Hours()/24) + 1, TargetRate: *p.target,
		HourlyRate: *p.hourly, DefaultMinutes: *p.minutes, BlockHours: *p.block, ShiftHours: *p.shift}
	sites, err := db.BudgetSites(ctx, *p.year)
	if err != nil {
		return a, nil, err
	}
	if *p.standard != "" {
		st, err := readYAML(*p.standard, gaps.Parse)
		if err != nil {
			return a, nil, err
		}
		cat, err := readYAML(*p.catalogue, gaps.ParseCatalogue)
		if err != nil {
			return a, nil, err
		}
		gs, err := db.GapSites(ctx)
		if err != nil {
			return a, nil, err
		}
		equipment := map[string]float64{}
		for _, l := range gaps.Costs(gaps.Rank(st, gs), cat) {
			equipment[l.Crossing] += l.FirstYear
		}
		for i := range sites {
			sites[i].Equipment = equipment[sites[i].Crossing]
		}
	}
	return a, budget.Request(a, sites), nil
}

// budgetCmd writes a fiscal year's budget request: the officer hours the
// policy's minimums (and a target rate) need against those worked, and
// the equipment that closes the gaps, with the assumptions stated.
func (m *Main) budgetCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("budget", false)
	pf := addPlanFlags(fs)
	format := fs.String("format", "text", "text (the arithmetic line by line), table, csv, json, xlsx or pdf")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if err := pf.check("budget"); err != nil {
		return err
	}
	if *format != "text" && !slices.Contains(report.Formats, *format) {
		return usagef("budget: --format %q must be text or one of %v", *format, report.Formats)
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		a, lines, err := pf.plan(ctx, db)
		if err != nil {
			return err
		}
		w, done, err := m.output(*out)
		if err != nil {
			return err
		}
		if *format == "text" {
			err = budget.Explain(w, a, lines)
		} else {
			from, to := sqldb.FiscalYear(*pf.year)
			err = report.Write(w, budget.Report(a, from, to, lines), *format)
		}
		return done(err)
	})
}

// readYAML opens and parses a YAML file of the gaps package.
func readYAML[T any](path string, parse func(string, io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, usagef("%v", err)
	}
	defer f.Close()
	return parse(path, f)
}

// output returns where to write: the -o file (closed by done, whose error
// is kept) or standard output.
func (m *Main) output(path string) (io.Writer, func(error) error, error) {
	if path == "" {
		return m.Stdout, func(err error) error { return err }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, usagef("-o: %v", err)
	}
	return f, func(err error) error {
		if cerr := f.Close(); err == nil {
			err = cerr // a failed close may have lost the end of the file
		}
		return err
	}, nil
}
