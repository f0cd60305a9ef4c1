package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

// CheckInspections checks every inspection of a crossing over local days
// from..to against the policy in force at its time, and returns how many
// were checked and those that broke it, in the order they started.
//
// The findings are kept per crossing and local day (migration 0026): a
// day's are checked again only when its inspections were written since,
// or when a policy, a training record, a crossing or a port changed (the
// epoch, moved by triggers). A release that changes what
// policy.CheckInspection finds must move the epoch in a migration
// (UPDATE findings_epoch SET n = n + 1). A standby keeps what it
// checks on its primary.
func (db *DB) CheckInspections(ctx context.Context, crossing string, from, to outbound.Date) (int, []policy.InspectionCheck, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, crossing); err != nil {
		return 0, nil, err
	}
	// The epoch first: everything read after it (the crossing, the
	// policies, the training) is at least as new as what it stands for.
	var epoch int64
	if err := db.sql.QueryRowContext(ctx, `SELECT n FROM findings_epoch`).Scan(&epoch); err != nil {
		return 0, nil, fmt.Errorf("policy check: %w", err)
	}
	c, err := db.FindCrossing(ctx, crossing)
	if err != nil {
		return 0, nil, err
	}
	// The days with inspections come from the rollups (verified by audit
	// verify), not from the kept findings: a kept row deleted is checked
	// again, never skipped.
	var days []keptDay
	err = eachRow(ctx, db, `SELECT r.day, r.n, f.gen, f.epoch, f.findings FROM
			(SELECT day, sum(inspections) AS n FROM inspection_rollup WHERE dim = 'all' AND crossing = ? AND day >= ? AND day <= ?
				GROUP BY day) r
			LEFT JOIN policy_findings_day f ON f.crossing = ? AND f.day = r.day
		WHERE r.n > 0 ORDER BY r.day`,
		func(s scanner) (keptDay, string, error) {
			var d keptDay
			return d, "", s.Scan(dbDate{&d.day}, &d.inspections, &d.gen, &d.epoch, &d.findings)
		}, func(d keptDay) { days = append(days, d) }, crossing, from.String(), to.String(), crossing)
	if err != nil {
		return 0, nil, fmt.Errorf("policy check: %w", err)
	}
	checked, out := 0, []policy.InspectionCheck{}
	var stale []keptDay
	for _, d := range days {
		checked += int(d.inspections)
		if !d.epoch.Valid || d.epoch.Int64 != epoch {
			stale = append(stale, d)
			continue
		}
		var kept []policy.InspectionCheck
		if err := json.Unmarshal([]byte(d.findings.String), &kept); err != nil {
			return 0, nil, fmt.Errorf("policy check: the findings kept for %s on %s: %w", crossing, d.day, err)
		}
		out = append(out, kept...)
	}
	if len(stale) > 0 {
		docs, err := db.FindPolicies(ctx)
		if err != nil {
			return 0, nil, err
		}
		trained, err := db.Trained(ctx)
		if err != nil {
			return 0, nil, err
		}
		ins, err := db.allInspections(ctx, crossing, "", stale[0].day, stale[len(stale)-1].day)
		if err != nil {
			return 0, nil, err
		}
		byDay := map[outbound.Date][]policy.InspectionCheck{}
		for i := range ins {
			if v := policy.CheckInspection(docs, crossingOf(c), &ins[i], trained); len(v) > 0 {
				byDay[ins[i].LocalDay] = append(byDay[ins[i].LocalDay], policy.InspectionCheck{ID: ins[i].ID.String(), Crossing: crossing,
					StartedAt: ins[i].StartedAt, Violations: v})
			}
		}
		for _, d := range stale {
			out = append(out, byDay[d.day]...)
		}
		// A standby keeps what it checked on its primary: what it read
		// there is no newer than the primary's, so the gen and the
		// epoch it stores under are safe there too. Best effort: a page
		// that reads must not wait on, or fail because of, a write in
		// progress (an import holds SQLite's write lock for minutes);
		// the days are checked again next time.
		keeper := db
		if db.primary != nil {
			keeper = db.primary
		}
		_ = keeper.keepFindings(ctx, crossing, epoch, stale, byDay)
	}
	slices.SortFunc(out, func(a, b policy.InspectionCheck) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), strings.Compare(a.ID, b.ID))
	})
	return checked, out, nil
}

// keptDay is a day with inspections and what is kept of its policy check
// (nulls when nothing is).
type keptDay struct {
	day         outbound.Date
	inspections int64
	gen, epoch  sql.NullInt64
	findings    sql.NullString
}

// keepFindings stores the findings of days just checked at epoch, each
// only if no write touched the day since it was read (its gen is the one
// read, or it still has no row): a check that raced a write is not kept.
// It gives up at once, rather than wait, when a writer holds the lock
// it needs.
func (db *DB) keepFindings(ctx context.Context, crossing string, epoch int64, days []keptDay, byDay map[outbound.Date][]policy.InspectionCheck) (err error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect != Postgres {
		if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
			return err
		}
		defer func() {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA busy_timeout = %d`, sqliteBusyTimeout.Milliseconds())); rerr != nil {
				// A connection left without its wait must not serve others.
				conn.Raw(func(any) error { return driver.ErrBadConn })
				err = errors.Join(err, rerr)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '100ms'`); err != nil {
			return err
		}
	}
	for _, d := range days {
		found := byDay[d.day]
		if found == nil {
			found = []policy.InspectionCheck{}
		}
		b, err := json.Marshal(found)
		if err != nil {
			return err
		}
		if d.gen.Valid {
			_, err = tx.ExecContext(ctx, db.Rebind(`UPDATE policy_findings_day SET epoch = ?, findings = ? WHERE crossing = ? AND day = ? AND gen = ?`),
				epoch, string(b), crossing, d.day.String(), d.gen.Int64)
		} else {
			_, err = tx.ExecContext(ctx, db.Rebind(`INSERT INTO policy_findings_day (crossing, day, gen, epoch, findings) VALUES (?, ?, 0, ?, ?)
					ON CONFLICT (crossing, day) DO NOTHING`), crossing, d.day.String(), epoch, string(b))
		}
		if err != nil {
			return fmt.Errorf("keep policy findings: %w", err)
		}
	}
	return tx.Commit()
}

// staleFindings marks the kept findings of the crossing-days a batch of
// inspection writes touched as to be checked again, in the batch's
// transaction, in key order (as the rollups lock theirs).
func staleFindings(ctx context.Context, tx *txn, d rollupDeltas) error {
	var crossings, days []string
	for _, k := range sortedKeys(d) {
		if k.dim == "all" && (len(days) == 0 || crossings[len(crossings)-1] != k.crossing || days[len(days)-1] != k.day) {
			crossings, days = append(crossings, k.crossing), append(days, k.day)
		}
	}
	if len(days) == 0 {
		return nil
	}
	const upsert = ` ON CONFLICT (crossing, day) DO UPDATE SET gen = policy_findings_day.gen + 1, epoch = -1, findings = '[]'`
	if tx.db.dialect == Postgres {
		_, err := tx.exec(ctx, `INSERT INTO policy_findings_day (crossing, day, gen, epoch)
			SELECT c, d, 1, -1 FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS u(c, d)`+upsert, crossings, days)
		if err != nil {
			return fmt.Errorf("policy findings: %w", err)
		}
		return nil
	}
	for start := 0; start < len(days); start += rollupBatch {
		end := min(start+rollupBatch, len(days))
		args := make([]any, 0, 4*(end-start))
		for i := start; i < end; i++ {
			args = append(args, crossings[i], days[i], 1, -1)
		}
		if _, err := tx.exec(ctx, `INSERT INTO policy_findings_day (crossing, day, gen, epoch) VALUES `+placeholders(4, end-start)+upsert,
			args...); err != nil {
			return fmt.Errorf("policy findings: %w", err)
		}
	}
	return nil
}
