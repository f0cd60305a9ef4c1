package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/sqldb"
)

// gapsCmd scores every crossing's latest survey against a standard and
// prints the national ranking.
func (m *Main) gapsCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("gaps", false)
	standard := fs.String("standard", "", "the standard per crossing class, YAML (required; see gaps/testdata/standard.yaml)")
	catalogue := fs.String("catalogue", "", "a cost catalogue, YAML: adds what closing each gap costs, with the arithmetic (see gaps/testdata/catalogue.yaml)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("gaps: --format %q must be table or json", *format)
	}
	st, err := readYAML(*standard, gaps.Parse)
	if err != nil {
		return err
	}
	var cat *gaps.Catalogue
	if *catalogue != "" {
		c, err := readYAML(*catalogue, gaps.ParseCatalogue)
		if err != nil {
			return err
		}
		cat = &c
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		sites, err := db.GapSites(ctx)
		if err != nil {
			return err
		}
		ranking := gaps.Rank(st, sites)
		var costs []gaps.CostLine
		if cat != nil {
			costs = gaps.Costs(ranking, *cat)
		}
		if *format == "json" {
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"items": ranking, "costs": costs})
		}
		if err := gaps.Render(m.Stdout, ranking); err != nil || cat == nil {
			return err
		}
		fmt.Fprintln(m.Stdout, "\nWhat closing the gaps costs (USD):")
		return gaps.RenderCosts(m.Stdout, costs)
	})
}
