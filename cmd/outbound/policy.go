package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/sqldb"
)

// policyCmd checks, publishes and lists policy documents.
func (m *Main) policyCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("policy: expected check, publish or list")
	}
	fs, c := m.flags("policy "+args[0], false)
	format := new(string)
	if args[0] == "check" {
		fs.StringVar(format, "format", "text", "text or json")
	}
	dbSet := false
	switch args[0] {
	case "check", "publish":
		if err := parse(fs, args[1:], -1, ""); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			return usagef("policy %s: expected one or more FILE", args[0])
		}
		fs.Visit(func(f *flag.Flag) { dbSet = dbSet || f.Name == "db" })
	case "list":
		if err := parse(fs, args[1:], 0, "flags only"); err != nil {
			return err
		}
	default:
		return usagef("policy: unknown %q; expected check, publish or list", args[0])
	}
	switch args[0] {
	case "check":
		return m.policyCheck(ctx, fs.Args(), c.db, dbSet || m.Getenv("OUTBOUND_DB") != "", *format)
	case "publish":
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			for _, file := range fs.Args() {
				src, err := os.ReadFile(file)
				if err != nil {
					return usagef("policy publish: %v", err)
				}
				docs, rep, err := db.PublishPolicy(ctx, file, src)
				if outbound.ErrorCode(err) == outbound.EUNPROCESSABLE {
					policy.Render(m.Stdout, rep)
					return errProblems
				}
				if err != nil {
					return err
				}
				for _, d := range docs {
					fmt.Fprintf(m.Stdout, "published %s %s, in force from %s\n", d.Kind, d.ID, d.Effective)
				}
			}
			return nil
		})
	default:
		return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
			docs, err := db.FindPolicies(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tEFFECTIVE\tAPPLIES TO\tRULES")
			for _, d := range docs {
				to := "all crossings"
				if d.Kind == policy.Local {
					to = fmt.Sprint(d.Crossings)
					if d.FieldOffice != "" {
						to = "field office " + d.FieldOffice
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", d.ID, d.Kind, d.Effective, to, len(d.Rules))
			}
			return tw.Flush()
		})
	}
}

// policyCheck checks files together; with a database, crossings are
// checked against its registry.
func (m *Main) policyCheck(ctx context.Context, files []string, dsn string, useDB bool, format string) error {
	var docs []policy.Document
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return usagef("policy check: %v", err)
		}
		ds, err := policy.Parse(file, f)
		f.Close()
		if err != nil {
			return err
		}
		docs = append(docs, ds...)
	}
	var reg policy.Registry
	if useDB {
		db, err := m.open(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		if reg, err = db.PolicyRegistry(ctx); err != nil {
			return err
		}
	}
	rep := policy.Check(docs, reg)
	if format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		if reg == nil {
			fmt.Fprintln(m.Stderr, "outbound: no --db given: crossings were not checked against a registry")
		}
		if err := policy.Render(m.Stdout, rep); err != nil {
			return err
		}
	}
	if len(rep.Findings) > 0 {
		return errProblems
	}
	return nil
}
