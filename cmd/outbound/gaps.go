package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/sqldb"
)

// gapsCmd scores every crossing's latest survey against a standard and
// prints the national ranking.
func (m *Main) gapsCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("gaps", false)
	standard := fs.String("standard", "", "the standard per crossing class, YAML (required; see gaps/testdata/standard.yaml)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("gaps: --format %q must be table or json", *format)
	}
	f, err := os.Open(*standard)
	if err != nil {
		return usagef("gaps: --standard: %v", err)
	}
	defer f.Close()
	st, err := gaps.Parse(*standard, f)
	if err != nil {
		return err
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		sites, err := db.GapSites(ctx)
		if err != nil {
			return err
		}
		ranking := gaps.Rank(st, sites)
		if *format == "json" {
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"items": ranking})
		}
		return gaps.Render(m.Stdout, ranking)
	})
}
