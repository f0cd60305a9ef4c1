package main

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/report"
	"github.com/outbound-oss/outbound/sqldb"
)

// reportCmd prints one report for a period.
func (m *Main) reportCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "budget" { // the budget request is a command of its own, reachable by this name too
		return m.budgetCmd(ctx, args[1:])
	}
	if len(args) > 0 && isHelp(args[0]) { // "outbound report --help": every report's flags
		args = append([]string{""}, args...)
	} else if len(args) == 0 || !slices.Contains(outbound.ReportNames, args[0]) {
		return usagef("report: expected one of %v", outbound.ReportNames)
	}
	name := args[0]
	fs, c := m.flags(strings.TrimSpace("report "+name), false)
	from := fs.String("from", "", "first local day, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last local day, YYYY-MM-DD (required)")
	border := fs.String("border", "", "southwest or northern")
	source := fs.String("source", outbound.SourceAll, "which inspections count: recorded, imported (history from the ports' own logs) or all")
	crossing := fs.String("crossing", "", "one crossing")
	office := fs.String("field-office", "", "one field office")
	hourly, minCoverage := new(string), new(float64)
	*hourly = "95"
	if name == "staffing" || name == "" {
		fs.StringVar(hourly, "hourly-rate", "95", "staffing: loaded cost of an officer hour in USD: 95, or by border: southwest=102.5,northern=91")
	}
	if name == "compliance" || name == "" {
		fs.Float64Var(minCoverage, "min-coverage", 100, "compliance: the share of days (percent) a crossing must inspect on to count in share_inspecting_min_days")
	}
	format := fs.String("format", "table", "table, csv, json, xlsx or pdf")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := parse(fs, args[1:], 0, "flags only"); err != nil {
		return err
	}
	if !slices.Contains(report.Formats, *format) {
		return usagef("report: --format %q must be one of %v", *format, report.Formats)
	}
	f := outbound.ReportFilter{Border: *border, FieldOffice: *office, Crossing: *crossing, MinCoverage: *minCoverage, Source: *source}
	var err error
	if f.HourlyRate, f.BorderRates, err = outbound.ParseRates(*hourly); err != nil {
		return usagef("report: --hourly-rate: %s", outbound.ErrorMessage(err))
	}
	p, err := period("report", *from, *to)
	if err != nil {
		return err
	}
	f.From, f.To = p.From, p.To
	if _, err := outbound.ParseBorder(*border); err != nil {
		return usagef("report: %s", outbound.ErrorMessage(err))
	}
	if (*format == "xlsx" || *format == "pdf") && *out == "" && isTerminal(m.Stdout) {
		return usagef("report: --format %s writes a file: give -o FILE (or redirect the output)", *format)
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		rep, err := db.Report(ctx, name, f)
		if err != nil {
			return err
		}
		w, done, err := m.output(*out)
		if err != nil {
			return err
		}
		if *format != "table" {
			return done(report.Write(w, rep, *format))
		}
		opts, err := tableOptions(ctx, db, w)
		if err != nil {
			return err
		}
		return done(report.WriteTable(w, rep, opts))
	})
}

// tableOptions fit a report's table to w: the terminal's width, and the
// crossings' names.
func tableOptions(ctx context.Context, db *sqldb.DB, w io.Writer) (report.TableOptions, error) {
	opts := report.TableOptions{Width: terminalWidth(w), Names: map[string]string{}}
	crossings, err := db.FindCrossings(ctx)
	for _, c := range crossings {
		opts.Names[c.Code] = c.Name
	}
	return opts, err
}
