// Package alert evaluates outbound's alert rules inside the server, for
// agencies without Prometheus: the same rules that
// deploy/prometheus/alerts.yml gives Prometheus (that file is written
// from Rules), over the same metrics, posted to a webhook in the shape
// Alertmanager posts (docs/operations.md#alerts).
//
// Each Rule holds its PromQL and the same condition in Go. The scenarios
// in deploy/prometheus/alerts_test.yml run through both: promtool runs
// them against the PromQL, and this package's tests run them through
// Evaluate, so that the two cannot drift apart unseen.
package alert

import (
	"github.com/outbound-oss/outbound/web"
)

// Severities, the severity label of every alert.
const (
	Warning  = "warning"  // someone should look today
	Critical = "critical" // someone should look now
)

// Rule is one alert rule.
type Rule struct {
	Name     string
	Severity string
	// Expr is the rule's PromQL, as Prometheus evaluates it.
	Expr string
	// Summary and Description are the annotations, templates as
	// Prometheus expands them: {{ $labels.NAME }} and {{ $value }}.
	Summary, Description string
	// match is Expr in Go: the series for which the condition holds at
	// q's time, with their labels (without the metric name) and the value
	// Expr would give.
	match func(q *query) []Series
}

// Rules are outbound's alert rules, in the order alerts.yml lists them.
var Rules = []Rule{
	{
		Name:     "OutboundCrossingBelowMinimum",
		Severity: Warning,
		Expr: `outbound_crossing_window_inspections < outbound_crossing_window_required
and
(outbound_crossing_window_end_timestamp_seconds - time())
  < 0.25 * (outbound_crossing_window_end_timestamp_seconds - outbound_crossing_window_start_timestamp_seconds)`,
		Summary: "Crossing {{ $labels.crossing }} is below its minimum for this {{ $labels.per }}",
		Description: "Inspections so far under rule {{ $labels.rule }}: {{ $value }}, fewer than it requires, " +
			"with less than a quarter of the {{ $labels.per }} left (the crossing's local time).",
		match: func(q *query) []Series {
			var out []Series
			for _, s := range q.series(web.MetricWindowInspections) {
				required, ok1 := q.value(web.MetricWindowRequired, s.Labels)
				start, ok2 := q.value(web.MetricWindowStart, s.Labels)
				end, ok3 := q.value(web.MetricWindowEnd, s.Labels)
				if ok1 && ok2 && ok3 && s.Value < required && end-q.time() < 0.25*(end-start) {
					out = append(out, s)
				}
			}
			return out
		},
	},
	{
		Name:     "OutboundNodeNotSyncing",
		Severity: Warning,
		Expr:     `outbound_sync_node_stale == 1`,
		Summary:  "Port node {{ $labels.node }} at crossing {{ $labels.crossing }} has not synced",
		Description: "No successful sync round for longer than outbound serve --node-stale-after allows: records made there " +
			"are not at headquarters, and its reference data ages (node \"self\" is a port node speaking of itself).",
		match: func(q *query) []Series {
			return q.where(web.MetricSyncNodeStale, func(v float64) bool { return v == 1 })
		},
	},
	{
		Name:     "OutboundRecordsSetApart",
		Severity: Warning,
		Expr:     `outbound_sync_set_apart_records > 0`,
		Summary:  "Records set apart at port node {{ $labels.node }} (crossing {{ $labels.crossing }}): {{ $value }}",
		Description: "Headquarters refused them; they wait at the node for a supervisor to correct or discard them " +
			"(the supervisor's desk, or outbound node list).",
		match: func(q *query) []Series { return q.where(web.MetricSyncSetApart, func(v float64) bool { return v > 0 }) },
	},
	{
		Name:     "OutboundAuditVerifyFailing",
		Severity: Critical,
		Expr:     `outbound_audit_verify_ok == 0`,
		Summary:  "The audit log does not verify",
		Description: "The server's last audit verify found problems (twice in a row) or could not run: run outbound audit verify " +
			"to see them, and treat the record as possibly altered until they are explained.",
		match: func(q *query) []Series {
			return q.where(web.MetricAuditVerifyOK, func(v float64) bool { return v == 0 })
		},
	},
	{
		Name:        "OutboundAuditCheckpointFailing",
		Severity:    Critical,
		Expr:        `outbound_audit_checkpoint_ok == 0`,
		Summary:     "The server cannot sign audit checkpoints",
		Description: "Its last attempt to sign the audit log's head failed (see its log): history since the last checkpoint could be rewritten unseen.",
		match: func(q *query) []Series {
			return q.where(web.MetricCheckpointOK, func(v float64) bool { return v == 0 })
		},
	},
	{
		Name:     "OutboundIngestErrors",
		Severity: Critical,
		Expr:     `increase(outbound_records_rejected_total{reason="error"}[15m]) > 0`,
		Summary:  "The server failed to store records of kind {{ $labels.kind }}",
		Description: "Records sent in the last 15 minutes were answered with an internal error and not stored " +
			"(clients and nodes send them again): see the server's log and its database.",
		match: func(q *query) []Series {
			return q.increaseAbove(web.MetricRecordsRejected, "reason", web.RejectedError, ingestErrorWindow)
		},
	},
	{
		Name:     "OutboundIngestRefused",
		Severity: Warning,
		Expr:     `increase(outbound_records_rejected_total{reason="invalid"}[1h]) > 0`,
		Summary:  "Records of kind {{ $labels.kind }} were refused as invalid",
		Description: "Records sent in the last hour were refused as invalid and not stored: a device, node or import may be " +
			"sending what this server does not accept (records a node sent are set apart there).",
		match: func(q *query) []Series {
			return q.increaseAbove(web.MetricRecordsRejected, "reason", web.RejectedInvalid, ingestRefusedWindow)
		},
	},
}
