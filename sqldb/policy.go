package sqldb

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/tally"
)

// PolicyRegistry returns the crossings as policy checks need them.
func (db *DB) PolicyRegistry(ctx context.Context) (policy.Registry, error) {
	cs, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	reg := policy.Registry{}
	for _, c := range cs {
		reg[c.Code] = crossingOf(c)
	}
	return reg, nil
}

func crossingOf(c outbound.Crossing) policy.Crossing {
	return policy.Crossing{Code: c.Code, Border: string(c.Border), FieldOffice: c.FieldOffice, TimeZone: c.TimeZone}
}

// FindPolicies returns every published policy document, oldest first.
func (db *DB) FindPolicies(ctx context.Context) ([]policy.Document, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT id, source FROM policies ORDER BY effective, id`)
	if err != nil {
		return nil, fmt.Errorf("find policies: %w", err)
	}
	defer rows.Close()
	var docs []policy.Document
	for rows.Next() {
		var id, src string
		if err := rows.Scan(&id, &src); err != nil {
			return nil, err
		}
		ds, err := policy.Parse(id, strings.NewReader(src))
		if err != nil {
			return nil, fmt.Errorf("stored policy %s: %w", id, err)
		}
		docs = append(docs, ds...)
	}
	return docs, rows.Err()
}

// PublishPolicy publishes the documents of a policy file. They are checked
// with every document already published; any finding about the new ones
// refuses them all, and the report says why.
func (db *DB) PublishPolicy(ctx context.Context, file string, src []byte) ([]policy.Document, policy.Report, error) {
	var rep policy.Report
	if err := outbound.Authorize(ctx, outbound.PublishPolicy, ""); err != nil {
		return nil, rep, err
	}
	docs, err := policy.Parse(file, bytes.NewReader(src))
	if err != nil {
		return nil, rep, err
	}
	published, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, rep, err
	}
	for _, d := range docs {
		for _, p := range published {
			if p.ID == d.ID { // said early; the insert's unique key still decides
				return nil, rep, outbound.Errorf(outbound.ECONFLICT, "id", "%s: policy %s is already published; a new version needs a new id", file, d.ID)
			}
		}
	}
	reg, err := db.PolicyRegistry(ctx)
	if err != nil {
		return nil, rep, err
	}
	rep = policy.Check(append(published, docs...), reg)
	rep.Findings = about(rep.Findings, docs)
	if len(rep.Findings) > 0 {
		return nil, rep, outbound.Errorf(outbound.EUNPROCESSABLE, "", "%s: %d findings; nothing was published", file, len(rep.Findings))
	}
	sources := splitDocuments(string(src))
	err = db.inTx(ctx, func(tx *txn) error {
		var changes []change
		now := ts(db.Now())
		for i, d := range docs {
			res, err := tx.exec(ctx, `INSERT INTO policies (id, kind, effective, source, published_at, published_by)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, d.ID, d.Kind, d.Effective, sources[i], now, outbound.ActorFrom(ctx).Name)
			if ok, err := inserted(res, err); err != nil {
				return err
			} else if !ok {
				return outbound.Errorf(outbound.ECONFLICT, "id", "%s: policy %s is already published; a new version needs a new id", file, d.ID)
			}
			changes = append(changes, change{action: "policy.publish", subject: "policy:" + d.ID, after: outbound.Digest(sources[i])})
		}
		return db.appendAudit(ctx, tx, changes)
	})
	if err != nil {
		return nil, rep, err
	}
	return docs, rep, nil
}

// about keeps the findings that name one of docs.
func about(findings []policy.Finding, docs []policy.Document) []policy.Finding {
	out := []policy.Finding{}
	for _, f := range findings {
		for _, d := range docs {
			if f.File == d.File && mentions(f, d.ID) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func mentions(f policy.Finding, id string) bool {
	for _, r := range f.Rules {
		if r == id || strings.HasPrefix(r, id+"/") {
			return true
		}
	}
	return false
}

// splitDocuments splits a YAML stream at its "---" lines, one source per
// document, in order.
func splitDocuments(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "---") {
			if strings.TrimSpace(cur.String()) != "" {
				out = append(out, cur.String())
			}
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

// Compliance computes minimum-frequency compliance for every crossing the
// actor may see (or one), over local days from..to, with rollups.
func (db *DB) Compliance(ctx context.Context, crossing string, from, to outbound.Date) ([]policy.Compliance, []policy.RollupRow, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, crossing); err != nil {
		return nil, nil, err
	}
	if err := (outbound.Period{From: from, To: to}).Validate(outbound.AnyLength); err != nil {
		return nil, nil, err
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, nil, err
	}
	a := outbound.ActorFrom(ctx)
	var cs []outbound.Crossing
	for _, c := range all {
		if (crossing == "" || c.Code == crossing) && a.InScope(c.Code) {
			cs = append(cs, c)
		}
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, nil, err
	}
	list, err := db.compliance(ctx, docs, cs, crossing, "", from, to, nil)
	if err != nil {
		return nil, nil, err
	}
	return list, policy.Rollup(list), nil
}

// compliance computes minimum-frequency compliance for the crossings given
// (the caller has authorized and filtered them); crossing, if not "",
// narrows the rollups read to that one. Without windows every window is
// listed with its count, from the daily rollups; with them (for reports),
// only how many windows were required and met, from the monthly rollups.
func (db *DB) compliance(ctx context.Context, docs []policy.Document, cs []outbound.Crossing, crossing, source string, from, to outbound.Date,
	windows *tally.Windows) ([]policy.Compliance, error) {
	var err error
	detail := windows == nil
	var daily map[string]map[outbound.Date]map[string]int64
	if detail {
		if daily, err = db.dailyCounts(ctx, crossing, source, from, to); err != nil {
			return nil, err
		}
	}
	list := []policy.Compliance{}
	for _, c := range cs {
		pc := crossingOf(c)
		switch {
		case !policy.Countable(docs, pc): // rules on hours, techniques, ...: the inspections themselves
			ins, err := db.allInspections(ctx, c.Code, source, from.AddDays(-1), to.AddDays(1))
			if err != nil {
				return nil, err
			}
			list = append(list, policy.FrequencyCompliance(docs, pc, from, to, ins))
		case detail:
			counts := daily[c.Code]
			list = append(list, policy.FrequencyFromDaily(docs, pc, from, to, func(day outbound.Date, modalities []string) int {
				if modalities == nil {
					return int(counts[day][""])
				}
				n := 0
				for _, m := range modalities {
					n += int(counts[day][m])
				}
				return n
			}))
		default:
			list = append(list, policy.FrequencyMet(docs, pc, from, to, func(r *policy.Rule, start, end outbound.Date) bool {
				return windows.Met(c.Code, r, start, end)
			}))
			if err := windows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return list, nil
}

// dailyCounts reads inspections per crossing, local day and modality
// ("" for all) from the daily rollups, of one source or ("") both.
func (db *DB) dailyCounts(ctx context.Context, crossing, source string, from, to outbound.Date) (map[string]map[outbound.Date]map[string]int64, error) {
	out := map[string]map[outbound.Date]map[string]int64{}
	type row struct {
		c string
		k rollupKey
		n int64
	}
	only, sargs := sourceWhere(source)
	query, args := `SELECT crossing, day, dim, value, inspections FROM inspection_rollup
		WHERE dim IN ('all', 'modality') AND day >= ? AND day <= ? AND inspections > 0`+only, append([]any{from.String(), to.String()}, sargs...)
	if crossing != "" {
		query, args = query+` AND crossing = ?`, append(args, crossing)
	}
	err := eachRow(ctx, db, query, func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.c, &r.k.day, &r.k.dim, &r.k.value, &r.n)
	}, func(r row) {
		day, err := outbound.ParseDate(r.k.day)
		if err != nil {
			return
		}
		if out[r.c] == nil {
			out[r.c] = map[outbound.Date]map[string]int64{}
		}
		if out[r.c][day] == nil {
			out[r.c][day] = map[string]int64{}
		}
		out[r.c][day][r.k.value] += r.n // value is "" for all, the modality otherwise; both sources add up
	}, args...)
	return out, err
}

// allInspections reads every current, unvoided inspection of a crossing
// between two local days, in no particular order and with only what
// policy checks and frequency read (id, start, local day, modality,
// techniques, trigger, officers): not their seizures, notes or versions. One query,
// not pages that each sort the lot. source, if not "", keeps the recorded
// or the imported ones only.
func (db *DB) allInspections(ctx context.Context, crossing, source string, from, to outbound.Date) ([]outbound.Inspection, error) {
	var all []outbound.Inspection
	only := ""
	switch source {
	case outbound.SourceRecorded:
		only = ` AND i.import_id IS NULL`
	case outbound.SourceImported:
		only = ` AND i.import_id IS NOT NULL`
	}
	err := eachRow(ctx, db, `SELECT i.id, i.started_at, i.local_day, i.modality, i.techniques, i.trigger, i.officers FROM inspections i
		WHERE i.crossing = ? AND i.local_day >= ? AND i.local_day <= ? AND i.voided = ?
		AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`+only,
		func(s scanner) (outbound.Inspection, string, error) {
			in := outbound.Inspection{Crossing: crossing}
			var techniques, officers string
			err := s.Scan(&in.ID, dbTime{&in.StartedAt}, dbDate{&in.LocalDay}, &in.Modality, &techniques, &in.Trigger, &officers)
			in.Techniques, in.Officers = splitList[outbound.Technique](techniques), splitList[string](officers)
			return in, "", err
		},
		func(in outbound.Inspection) { all = append(all, in) }, crossing, from.String(), to.String(), false)
	return all, err
}
