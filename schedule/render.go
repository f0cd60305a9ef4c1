package schedule

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
)

// Unit is the unit of cells' values, payoffs and the attacker's value:
// exits weighted by risk (Build).
const Unit = "weighted exits"

// Formats are the formats Write knows.
var Formats = []string{"table", "json", "csv"}

// Write writes a plan as a table, JSON or CSV. CSV has one row per
// operation, or, with an explanation, one row per cell with its coverage.
func Write(w io.Writer, p Plan, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	case "csv":
		return writeCSV(w, p)
	}
	return writeTable(w, p)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

func writeCSV(w io.Writer, p Plan) error {
	cw := csv.NewWriter(w)
	if p.Explain == nil {
		cw.Write([]string{"crossing", "day", "shift"})
		for _, o := range p.Operations {
			cw.Write([]string{o.Crossing, o.Day.String(), string(o.Shift)})
		}
	} else {
		cw.Write([]string{"crossing", "day", "shift", "value", "penalty", "coverage", "attacker_payoff", "drawn"})
		for _, c := range p.Explain.Cells {
			cw.Write([]string{c.Crossing, c.Day.String(), string(c.Shift), num(c.Value), num(c.Penalty), num(c.Coverage), num(c.Payoff),
				strconv.FormatBool(c.Drawn)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(w io.Writer, p Plan) error {
	seed := "drawn from crypto/rand"
	if p.Seed != nil {
		seed = fmt.Sprintf("drawn with seed %d", *p.Seed)
	}
	fmt.Fprintf(w, "Outbound operations %s to %s: %d shifts, %s.\n", p.From, p.To, len(p.Operations), seed)
	fmt.Fprintf(w, "A smuggler who knows how often each shift is covered can expect at most %.3f %s.\n\n", p.AttackerValue, Unit)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "crossing\tday\tshift")
	for _, o := range p.Operations {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Crossing, o.Day, o.Shift)
	}
	tw.Flush()
	e := p.Explain
	if e == nil {
		return nil
	}
	fmt.Fprintf(w, "\nInputs per crossing (a shift's value, in %s, is its exits times (1 + the crossing's seizure rate / the national rate) times the weight):\n", Unit)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "crossing\tborder\tfield office\texits a day\tseizure USD per 1,000 exits\tweight\tminimum windows\tclosed shifts")
	for _, s := range e.Sites {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%.2f\t%g\t%d\t%v\n", s.Crossing, s.Border, s.FieldOffice, s.Exits, s.SeizureRate, s.Weight, len(s.Minimums), s.Closed)
	}
	tw.Flush()
	for _, b := range e.Budgets {
		who := "all crossings"
		if b.FieldOffice != "" {
			who = "field office " + b.FieldOffice
		}
		fmt.Fprintf(w, "Budget: at most %s for %s.\n", shifts(b.Shifts), who)
	}
	if e.DailyPool > 0 {
		fmt.Fprintf(w, "Daily pool: at most %s each day across the crossings planned.\n", shifts(e.DailyPool))
	} else {
		fmt.Fprintf(w, "Daily pool: none.\n")
	}
	fmt.Fprintf(w, "Caught loss: a caught smuggler loses %g times what he would gain.\n", e.CaughtLoss)
	fmt.Fprintf(w, "Shares of a day's exits: day %g, swing %g, night %g.\n",
		e.ShiftShare[outbound.DayShift], e.ShiftShare[outbound.SwingShift], e.ShiftShare[outbound.NightShift])
	fmt.Fprintf(w, "\nLimits that bind (%d):\n", len(e.Binding))
	for _, b := range e.Binding {
		fmt.Fprintf(w, "  %s: at its %s of %s\n", b.Group, b.Limit, shifts(b.Count))
	}
	fmt.Fprintf(w, "\nThe attacker's best responses (%d shifts, each worth %.3f %s to him):\n", len(e.BestResponse), p.AttackerValue, Unit)
	for _, o := range e.BestResponse {
		fmt.Fprintf(w, "  %s %s %s\n", o.Crossing, o.Day, o.Shift)
	}
	fmt.Fprintf(w, "\nCoverage of every shift:\n")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "crossing\tday\tshift\tvalue ("+Unit+")\tcoverage (probability)\tattacker payoff ("+Unit+")\tdrawn")
	for _, c := range e.Cells {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%.4f\t%.3f\t%v\n", c.Crossing, c.Day, c.Shift, c.Value, c.Coverage, c.Payoff, c.Drawn)
	}
	return tw.Flush()
}

// shifts says n covered shifts.
func shifts(n int) string {
	if n == 1 {
		return "1 covered shift"
	}
	return fmt.Sprintf("%d covered shifts", n)
}
