package sqldb

import (
	"context"
	"sort"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

// complianceReport: windows of the policy's minimum frequencies required
// and met per crossing, from the monthly rollups, with the share of
// crossings that met every window and that inspected on enough days, by
// field office, border and nation.
func (db *DB) complianceReport(ctx context.Context, cs []outbound.Crossing, f outbound.ReportFilter) ([]outbound.Row, outbound.Row, error) {
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, nil, err
	}
	tally, err := db.newWindowTally(ctx, f.Crossing, f.From, f.To, policy.ByModality(docs))
	if err != nil {
		return nil, nil, err
	}
	list, err := db.compliance(ctx, docs, cs, f.Crossing, f.From, f.To, tally) // the report's crossings, already filtered
	if err != nil {
		return nil, nil, err
	}
	days := f.To.Time(time.UTC).Sub(f.From.Time(time.UTC)).Hours()/24 + 1
	byCode := map[string]int{}
	for i, c := range list {
		byCode[c.Crossing] = i
	}
	// Sums for the nation, and for each border and field office.
	type group struct{ crossings, required, met, all, often int }
	nation := &group{}
	borders, offices := map[string]*group{}, map[string]*group{}
	var officeNames []string
	var rows []outbound.Row
	for _, c := range cs {
		i, ok := byCode[c.Code]
		if !ok {
			continue
		}
		x := list[i]
		if offices[c.FieldOffice] == nil {
			offices[c.FieldOffice] = &group{}
			officeNames = append(officeNames, c.FieldOffice)
		}
		if borders[string(c.Border)] == nil {
			borders[string(c.Border)] = &group{}
		}
		inspected := tally.daysInspected(c.Code)
		coverage := rate(float64(inspected), days)
		for _, g := range []*group{nation, borders[string(c.Border)], offices[c.FieldOffice]} {
			g.crossings++
			g.required += x.WindowsRequired
			g.met += x.WindowsMet
			if x.WindowsMet == x.WindowsRequired {
				g.all++
			}
			if r, ok := coverage.(float64); ok && 100*r >= f.MinCoverage-1e-9 {
				g.often++
			}
		}
		rows = append(rows, append(head(c), outbound.Cell{Key: "field_office", Value: c.FieldOffice},
			outbound.Cell{Key: "windows_required", Value: x.WindowsRequired},
			outbound.Cell{Key: "windows_met", Value: x.WindowsMet},
			outbound.Cell{Key: "compliance_rate", Value: rate(float64(x.WindowsMet), float64(x.WindowsRequired))},
			outbound.Cell{Key: "days_inspected", Value: inspected},
			outbound.Cell{Key: "coverage_rate", Value: coverage}))
	}
	cells := func(g *group) outbound.Row {
		return outbound.Row{{Key: "crossings", Value: g.crossings}, {Key: "windows_required", Value: g.required},
			{Key: "windows_met", Value: g.met}, {Key: "compliance_rate", Value: rate(float64(g.met), float64(g.required))},
			{Key: "crossings_met_every_window", Value: g.all}, {Key: "share_met_every_window", Value: rate(float64(g.all), float64(g.crossings))},
			{Key: "crossings_inspecting_min_days", Value: g.often},
			{Key: "share_inspecting_min_days", Value: rate(float64(g.often), float64(g.crossings))}}
	}
	byBorder := outbound.Row{}
	for _, b := range outbound.Borders {
		g := borders[string(b)]
		if g == nil {
			g = &group{}
		}
		byBorder = append(byBorder, outbound.Cell{Key: string(b), Value: cells(g)})
	}
	sort.Strings(officeNames)
	byOffice := outbound.Row{}
	for _, name := range officeNames {
		byOffice = append(byOffice, outbound.Cell{Key: name, Value: cells(offices[name])})
	}
	totals := append(cells(nation), outbound.Cell{Key: "by_border", Value: byBorder}, outbound.Cell{Key: "by_field_office", Value: byOffice})
	return rows, totals, nil
}
