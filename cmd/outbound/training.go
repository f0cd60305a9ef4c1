package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/outbound-oss/outbound/csvfile"
	"github.com/outbound-oss/outbound/sqldb"
)

// trainingCmd reports training coverage per crossing and modality against
// a catalogue of courses, and the certifications about to expire.
func (m *Main) trainingCmd(ctx context.Context, args []string) error {
	fs, c := m.flags("training", false)
	catalogue := fs.String("courses", "", "the training catalogue, CSV: course,applies_to,title (required; docs/import.md)")
	from := fs.String("from", "", "first local day, YYYY-MM-DD")
	to := fs.String("to", "", "last local day, YYYY-MM-DD")
	within := fs.Int("expiring-within", 60, "list certifications that expire within this many days after --to")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args, 0, "flags only"); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("training: --format %q must be table or json", *format)
	}
	p, err := period("training", *from, *to)
	if err != nil {
		return err
	}
	f, t := p.From, p.To
	file, err := os.Open(*catalogue)
	if err != nil {
		return usagef("training: --courses: %v", err)
	}
	defer file.Close()
	courses := map[string][]string{}
	for row, err := range csvfile.ReadCourses(file) {
		if err != nil {
			return fileError(*catalogue, 0, err)
		}
		courses[row.Record.AppliesTo] = append(courses[row.Record.AppliesTo], row.Record.Course)
	}
	return m.withDB(ctx, c.db, func(db *sqldb.DB) error {
		coverage, expiring, err := db.TrainingReport(ctx, f, t, courses, *within)
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"coverage": coverage, "expiring": expiring})
		}
		fmt.Fprintf(m.Stdout, "Training coverage %s to %s: officers who inspected with each modality or technique, and those with a valid course for it on %s.\n", f, t, t)
		tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "crossing\tapplies to\tofficers\ttrained\tshare\tuntrained")
		for _, x := range coverage {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f\t%s\n", x.Crossing, x.AppliesTo, x.Officers, x.Trained, x.Share, strings.Join(x.Untrained, " "))
		}
		tw.Flush()
		fmt.Fprintf(m.Stdout, "\nExpiring within %d days after %s: %d\n", *within, t, len(expiring))
		for _, e := range expiring {
			fmt.Fprintf(m.Stdout, "  %s %s expires %s\n", e.Badge, e.Course, e.ExpiresOn)
		}
		return nil
	})
}
