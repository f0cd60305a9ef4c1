package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/tally"
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
	windows, err := db.newWindows(ctx, f.Crossing, f.Source, f.From, f.To, policy.ByModality(docs))
	if err != nil {
		return nil, nil, err
	}
	list, err := db.compliance(ctx, docs, cs, f.Crossing, f.Source, f.From, f.To, windows) // the report's crossings, already filtered
	if err != nil {
		return nil, nil, err
	}
	rows, totals := tally.Compliance(cs, list, windows, f.MinCoverage)
	return rows, totals, nil
}
