package main

import (
	"context"
	"fmt"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/sqldb"
)

// generate fills a database with a national-scale synthetic dataset, for
// benchmarks: not a record (it has no audit entries).
func (m *Main) generate(ctx context.Context, args []string) error {
	fs, c := m.flags("generate", false)
	crossings := fs.Int("crossings", 167, "crossings, about a third on the southwest border")
	years := fs.Int("years", 5, "years of inspections, ending yesterday")
	total := fs.Int64("inspections", 10_000_000, "inspections, about")
	seed := fs.Uint64("seed", 1, "seed")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *crossings < 1 || *crossings > 999 || *years < 1 || *years > 20 || *total < 1 {
		return usagef("generate: --crossings 1 to 999, --years 1 to 20, --inspections at least 1")
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		sw := *crossings / 3
		ports := demo.Ports(*seed, sw, *crossings-sw)
		if err := db.SavePorts(ctx, ports); err != nil {
			return err
		}
		now := m.now()
		to := outbound.DateOf(now).AddDays(-1)
		from := outbound.DateOf(now.AddDate(-*years, 0, 0))
		months := int64(*crossings * (*years*12 + 1))
		bar := m.progress(months, "generating inspections", false)
		start := time.Now()
		load := &sqldb.BulkLoader{DB: db}
		err := demo.National(*seed, ports, from, to, *total, func(batch []outbound.Inspection) error {
			bar.Add(1)
			return load.Add(ctx, batch)
		})
		if err == nil {
			err = load.Flush(ctx)
		}
		bar.Finish()
		n := load.Loaded
		if err != nil {
			return err
		}
		el := time.Since(start)
		fmt.Fprintf(m.Stdout, "generated %d inspections at %d synthetic crossings, %s to %s, in %s (%.0f a second); a benchmark dataset without audit entries\n",
			n, len(ports), from, to, el.Round(time.Second), float64(n)/el.Seconds())
		return nil
	})
}
