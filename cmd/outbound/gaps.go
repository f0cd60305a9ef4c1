package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/sqldb"
)

// gapsCmd scores every crossing's latest survey against a standard and
// prints the national ranking; "gaps publish" publishes the standard and
// the cost catalogue that gaps, budget and the API use when no file is
// given.
func (m *Main) gapsCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "publish" {
		return m.gapsPublish(ctx, args[1:])
	}
	fs, c := m.flags("gaps", false)
	pf := addGapFlags(fs)
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("gaps: --format %q must be table or json", *format)
	}
	plan, err := pf.read()
	if err != nil {
		return err
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		ranking, costs, plan, err := db.GapRanking(ctx, plan)
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"standard": plan.StandardFrom, "catalogue": plan.CatalogueFrom, "items": ranking, "costs": costs})
		}
		fmt.Fprintf(m.Stdout, "Standard: %s.\n", plan.StandardFrom)
		if err := gaps.Render(m.Stdout, ranking); err != nil || plan.Catalogue == nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "\nWhat closing the gaps costs (USD; %s):\n", plan.CatalogueFrom)
		return gaps.RenderCosts(m.Stdout, costs)
	})
}

// gapsPublish publishes a standard, a catalogue, or both, each as its
// kind's next version; both are checked before either is published.
func (m *Main) gapsPublish(ctx context.Context, args []string) error {
	fs, c := m.flags("gaps publish", false)
	gf := addGapFlags(fs)
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *gf.standard == "" && *gf.catalogue == "" {
		return usagef("gaps publish: give --standard FILE, --catalogue FILE or both")
	}
	if _, err := gf.read(); err != nil {
		return err
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		files := map[string]string{outbound.GapStandard: *gf.standard, outbound.CostCatalogue: *gf.catalogue}
		for _, kind := range outbound.PlanKinds {
			file := files[kind]
			if file == "" {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				return usagef("gaps publish: %v", err)
			}
			d, err := db.PublishPlan(ctx, kind, file, src)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "published %s as %s version %d\n", file, kind, d.Version)
		}
		return nil
	})
}

// gapFlags name a standard and a catalogue to use instead of the
// published ones.
type gapFlags struct{ standard, catalogue *string }

func addGapFlags(fs *flag.FlagSet) gapFlags {
	return gapFlags{
		standard:  fs.String("standard", "", "a gap standard per crossing class, YAML, instead of the published one (see gaps/testdata/standard.yaml)"),
		catalogue: fs.String("catalogue", "", "a cost catalogue, YAML, instead of the published one: prices each gap, the arithmetic shown (see gaps/testdata/catalogue.yaml)"),
	}
}

// read parses the files given; the rest comes from the database.
func (g gapFlags) read() (gaps.Plan, error) {
	var p gaps.Plan
	if *g.standard != "" {
		st, err := readYAML(*g.standard, gaps.Parse)
		if err != nil {
			return p, err
		}
		p.Standard, p.StandardFrom = &st, *g.standard
	}
	if *g.catalogue != "" {
		c, err := readYAML(*g.catalogue, gaps.ParseCatalogue)
		if err != nil {
			return p, err
		}
		p.Catalogue, p.CatalogueFrom = &c, *g.catalogue
	}
	return p, nil
}
