package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// operation plans pulse-and-surge operations and reports on them.
func (m *Main) operation(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("operation: expected plan, list or show")
	}
	fs, c := m.flags("operation "+args[0], false)
	switch args[0] {
	case "plan":
		var req outbound.OperationRequest
		fs.StringVar(&req.Name, "name", "", "what to call it (required)")
		fs.StringVar(&req.Basis, "basis", outbound.RandomBasis, "random (crossings drawn from crypto/rand) or intelligence (crossings named, with --reason)")
		fs.Func("crossing", "a crossing to draw from, or (intelligence) to go to; repeated or comma-separated", func(s string) error {
			req.Crossings = append(req.Crossings, strings.Split(s, ",")...)
			return nil
		})
		fs.StringVar(&req.FieldOffice, "field-office", "", "draw among this field office's crossings")
		fs.IntVar(&req.Count, "count", 0, "random: how many crossings to draw")
		fs.IntVar(&req.Officers, "officers", 0, "officers the operation brings (required)")
		fs.StringVar(&req.Reason, "reason", "", "intelligence: why these crossings")
		from := fs.String("from", "", "first local day, YYYY-MM-DD")
		to := fs.String("to", "", "last local day, YYYY-MM-DD (at most 31 days on)")
		if err := parse(fs, args[1:], 0, "flags only"); err != nil {
			return err
		}
		p, err := period("operation plan", *from, *to)
		if err != nil {
			return err
		}
		req.From, req.To = p.From, p.To
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			op, err := db.PlanOperation(ctx, req)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "planned %s operation %q, %s to %s, %d officers at %s\nid %s (inspections it produces name it in operation_id)\n",
				op.Basis, op.Name, op.From, op.To, op.Officers, strings.Join(op.Crossings, ", "), op.ID)
			return nil
		})
	case "list":
		from := fs.String("from", "", "first local day, YYYY-MM-DD")
		to := fs.String("to", "", "last local day, YYYY-MM-DD")
		if err := parse(fs, args[1:], 0, "flags only"); err != nil {
			return err
		}
		p, err := period("operation list", *from, *to)
		if err != nil {
			return err
		}
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			list, err := db.FindOperations(ctx, p.From, p.To)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "id\tname\tbasis\tfrom\tto\tofficers\tcrossings")
			for _, op := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", op.ID, op.Name, op.Basis, op.From, op.To, op.Officers, strings.Join(op.Crossings, ","))
			}
			return tw.Flush()
		})
	case "show":
		if err := parse(fs, args[1:], 1, "an operation id"); err != nil {
			return err
		}
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			r, err := db.OperationResults(ctx, fs.Arg(0))
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s (%s), %s to %s, %d officers at %s\n", r.Name, r.Basis, r.From, r.To, r.Officers, strings.Join(r.Crossings, ", "))
			if r.Reason != "" {
				fmt.Fprintf(m.Stdout, "reason: %s\n", r.Reason)
			}
			fmt.Fprintf(m.Stdout, "inspections %d, seizures %d worth %.2f USD, officer hours %.1f\n", r.Inspections, r.Seizures, r.ValueUSD, r.OfficerHours)
			return nil
		})
	}
	return usagef("operation: expected plan, list or show, not %q", args[0])
}

// period reads --from and --to, both required, through the period parser
// the API and the pages use, so that a mistake reads the same on each.
func period(cmd, from, to string) (outbound.Period, error) {
	p, err := outbound.ParsePeriod(from, to)
	if err != nil {
		return p, usagef("%s: %s", cmd, outbound.ErrorMessage(err))
	}
	return p, nil
}
