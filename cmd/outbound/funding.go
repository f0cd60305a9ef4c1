package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/budget"
	"github.com/outbound-oss/outbound/sqldb"
)

// fundingCmd compares a fiscal year's funding line, per crossing and
// category, with the plan of its budget request.
func (m *Main) fundingCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("funding", false)
	pf := addPlanFlags(fs)
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	a, err := pf.assumptions("funding")
	if err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("funding: --format %q must be table or json", *format)
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		_, lines, err := pf.plan(ctx, db, a)
		if err != nil {
			return err
		}
		totals, err := db.FundingTotals(ctx, a.FiscalYear)
		if err != nil {
			return err
		}
		rows := budget.Funding(lines, outbound.FundingCategories, totals)
		if *format == "json" {
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"fiscal_year": a.FiscalYear, "items": rows})
		}
		fmt.Fprintf(m.Stdout, "Outbound funding line, fiscal year %d, against the budget request's plan (USD):\n", a.FiscalYear)
		tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "crossing\tcategory\tplan\tallocated\tobligated\tspent\tallocated - plan\t")
		var sum budget.FundingRow
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", r.Crossing, r.Category, r.Plan, r.Allocated, r.Obligated, r.Spent, r.Gap)
			sum.Plan, sum.Allocated, sum.Obligated, sum.Spent, sum.Gap = sum.Plan+r.Plan, sum.Allocated+r.Allocated, sum.Obligated+r.Obligated, sum.Spent+r.Spent, sum.Gap+r.Gap
		}
		fmt.Fprintf(tw, "all\t\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", sum.Plan, sum.Allocated, sum.Obligated, sum.Spent, sum.Gap)
		return tw.Flush()
	})
}
