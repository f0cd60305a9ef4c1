package main

import (
	"context"
	"flag"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/report"
	"github.com/outbound-oss/outbound/sqldb"
)

// planFlags are the figures a budget plan rests on, shared by budget and
// funding.
type planFlags struct {
	year                    *int
	target, hourly, minutes *float64
	block, shift            *float64
	gaps                    gapFlags
}

func addPlanFlags(fs *flag.FlagSet) *planFlags {
	d := budget.Defaults(0)
	return &planFlags{
		year:    fs.Int("fiscal-year", 0, "the fiscal year, e.g. 2027 (October 2026 to September 2027; required)"),
		target:  fs.Float64("target-rate", d.TargetRate, "inspections per 1,000 exits to aim for; 0 for the policy minimum only"),
		hourly:  fs.Float64("hourly-rate", d.HourlyRate, "loaded cost of an officer hour, USD"),
		minutes: fs.Float64("default-minutes", d.DefaultMinutes, "officer-minutes an inspection takes where nothing was measured"),
		block:   fs.Float64("block-hours", d.BlockHours, "the shortest outbound posting of a team, hours; each window of the minimum needs one"),
		shift:   fs.Float64("shift-hours", d.ShiftHours, "an officer's shift, hours, to state the shortfall in shifts"),
		gaps:    addGapFlags(fs),
	}
}

// assumptions are the flags' figures, checked.
func (p *planFlags) assumptions(cmd string) (budget.Assumptions, error) {
	a := budget.Assumptions{FiscalYear: *p.year, TargetRate: *p.target, HourlyRate: *p.hourly, DefaultMinutes: *p.minutes,
		BlockHours: *p.block, ShiftHours: *p.shift}
	if err := a.Validate(); err != nil {
		return a, usagef("%s: --%s: %s", cmd, strings.ReplaceAll(outbound.ErrorField(err), "_", "-"), outbound.ErrorMessage(err))
	}
	return a, nil
}

// plan computes every crossing's budget line for the assumptions.
func (p *planFlags) plan(ctx context.Context, db *sqldb.DB, a budget.Assumptions) (budget.Assumptions, []budget.Line, error) {
	plan, err := p.gaps.read()
	if err != nil {
		return a, nil, err
	}
	return db.BudgetRequest(ctx, a, plan)
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
	a, err := pf.assumptions("budget")
	if err != nil {
		return err
	}
	if *format != "text" && !slices.Contains(report.Formats, *format) {
		return usagef("budget: --format %q must be text or one of %v", *format, report.Formats)
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		a, lines, err := pf.plan(ctx, db, a)
		if err != nil {
			return err
		}
		w, done, err := m.output(*out)
		if err != nil {
			return err
		}
		fy := outbound.FiscalYear(a.FiscalYear)
		switch *format {
		case "text":
			err = budget.Explain(w, a, lines)
		case "table":
			var opts report.TableOptions
			if opts, err = tableOptions(ctx, db, w); err == nil {
				err = report.WriteTable(w, budget.Report(a, fy.From, fy.To, lines), opts)
			}
		default:
			err = report.Write(w, budget.Report(a, fy.From, fy.To, lines), *format)
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
