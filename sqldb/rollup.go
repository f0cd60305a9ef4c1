package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// rollupKey is one row of inspection_rollup. source is
// outbound.SourceRecorded or SourceImported: each row counts one.
type rollupKey struct{ crossing, day, dim, value, source string }

// rollupSums are a row's sums.
type rollupSums struct {
	inspections, seizures           int64
	valueUSD, officerMins, quantity float64
}

// rollupDeltas collect a batch's changes to the rollups, applied once at
// the end of its transaction: a batch of a thousand inspections touches a
// few dozen rows.
type rollupDeltas map[rollupKey]*rollupSums

func (d rollupDeltas) add(k rollupKey, s rollupSums) {
	cur, ok := d[k]
	if !ok {
		cur = &rollupSums{}
		d[k] = cur
	}
	cur.inspections += s.inspections
	cur.seizures += s.seizures
	cur.valueUSD += s.valueUSD
	cur.officerMins += s.officerMins
	cur.quantity += s.quantity
}

// addAll adds every row of e.
func (d rollupDeltas) addAll(e rollupDeltas) {
	for k, s := range e {
		d.add(k, *s)
	}
}

// inspection adds (sign 1) or removes (sign -1) an inspection version's
// contribution. Voided versions contribute nothing.
func (d rollupDeltas) inspection(in *outbound.Inspection, loc *time.Location, sign int64) {
	if in.Voided {
		return
	}
	day, source := in.LocalDay.String(), rollupSource(in)
	key := func(dim, value string) rollupKey { return rollupKey{in.Crossing, day, dim, value, source} }
	// Every dimension's row carries the inspection's seizures and officer
	// time too, so that yield can be broken down by technique or trigger.
	all := rollupSums{inspections: sign}
	all.officerMins = float64(sign) * in.EndedAt.Sub(in.StartedAt).Minutes() * float64(len(in.Officers))
	for _, s := range in.Seizures {
		all.seizures += sign
		all.valueUSD += float64(sign) * s.ValueUSD
		d.add(key("category", string(s.Category)), rollupSums{seizures: sign, valueUSD: float64(sign) * s.ValueUSD})
		d.add(key("category_unit", string(s.Category)+"|"+s.Unit), rollupSums{seizures: sign, quantity: float64(sign) * s.Quantity})
	}
	d.add(key("all", ""), all)
	d.add(key("modality", string(in.Modality)), all)
	d.add(key("trigger", string(in.Trigger)), all)
	d.add(key("outcome", string(in.Outcome)), all)
	d.add(key("shift", string(outbound.ShiftOf(in.StartedAt.In(loc)))), all)
	for _, t := range in.Techniques {
		d.add(key("technique", string(t)), all)
	}
	d.add(key("practice", practiceValue(string(in.Modality), joinList(in.Techniques), len(in.Officers))), all)
}

// practiceValue is the practice dimension's value of an inspection: its
// modality, its set of techniques and how many officers took part, such as
// "personal_vehicle|interview+k9|2". The budget request reads the mix of
// practices from it; officer minutes over officers give the minutes.
// techniques is the record's list as stored, in the officer's order.
func practiceValue(modality, techniques string, officers int) string {
	ts := strings.Split(techniques, ",")
	slices.Sort(ts)
	return modality + "|" + strings.Join(ts, "+") + "|" + strconv.Itoa(officers)
}

// parsePractice splits a practice value (practiceValue) into its modality,
// techniques joined by "+", and officers.
func parsePractice(v string) (modality, techniques string, officers int, ok bool) {
	parts := strings.Split(v, "|")
	if len(parts) != 3 {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 1 {
		return "", "", 0, false
	}
	return parts[0], parts[1], n, true
}

// rollupSource is the rollup source an inspection version counts in.
func rollupSource(in *outbound.Inspection) string {
	if in.Import != nil {
		return outbound.SourceImported
	}
	return outbound.SourceRecorded
}

// rollupBatch is how many rows one upsert carries: 10 parameters each.
const rollupBatch = 200

// apply upserts the deltas in the transaction, into the daily rollups and
// the monthly ones, and marks the policy findings kept for the days they
// touch as stale.
func (d rollupDeltas) apply(ctx context.Context, tx *txn) error {
	if err := staleFindings(ctx, tx, d); err != nil {
		return err
	}
	months := rollupDeltas{}
	for k, v := range d {
		m := k
		m.day = k.day[:8] + "01"
		months.add(m, *v)
	}
	present := map[rollupKey]bool{}
	if err := d.upsert(ctx, tx, "inspection_rollup", "day", present); err != nil {
		return err
	}
	if err := months.upsert(ctx, tx, "inspection_rollup_month", "month", nil); err != nil {
		return err
	}
	// Keep each month's mask of days with inspections in step with the
	// days just written.
	type bits struct{ set, clear int64 }
	masks := map[rollupKey]*bits{}
	for k, has := range present {
		m := k
		m.day = k.day[:8] + "01"
		day, _ := strconv.Atoi(k.day[8:])
		if masks[m] == nil {
			masks[m] = &bits{}
		}
		if has {
			masks[m].set |= 1 << (day - 1)
		} else {
			masks[m].clear |= 1 << (day - 1)
		}
	}
	maskKeys := sortedKeys(masks)
	if tx.db.dialect == Postgres && len(maskKeys) > 0 {
		// One statement for every month, an array per column.
		var crossings, days, dims, values, sources []string
		var set, clear []int64
		for _, m := range maskKeys {
			crossings, days, dims, values = append(crossings, m.crossing), append(days, m.day), append(dims, m.dim), append(values, m.value)
			sources = append(sources, m.source)
			set, clear = append(set, masks[m].set), append(clear, masks[m].clear)
		}
		if _, err := tx.exec(ctx, `UPDATE inspection_rollup_month m SET days = (m.days | u.set_bits) & ~u.clear_bits
			FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
				AS u(crossing, month, dim, value, source, set_bits, clear_bits)
			WHERE m.crossing = u.crossing AND m.month = u.month AND m.dim = u.dim AND m.value = u.value AND m.source = u.source`,
			crossings, days, dims, values, sources, set, clear); err != nil {
			return fmt.Errorf("rollup days: %w", err)
		}
		return nil
	}
	for _, m := range maskKeys {
		b := masks[m]
		if _, err := tx.exec(ctx, `UPDATE inspection_rollup_month SET days = (days | ?) & ~CAST(? AS bigint)
			WHERE crossing = ? AND month = ? AND dim = ? AND value = ? AND source = ?`, b.set, b.clear, m.crossing, m.day, m.dim, m.value, m.source); err != nil {
			return fmt.Errorf("rollup days: %w", err)
		}
	}
	return nil
}

// sortedKeys returns a map's keys in a fixed order: concurrent batches
// lock rollup rows in the same order.
func sortedKeys[V any](m map[rollupKey]V) []rollupKey {
	keys := make([]rollupKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b rollupKey) int {
		return cmp.Or(strings.Compare(a.crossing, b.crossing), strings.Compare(a.day, b.day),
			strings.Compare(a.dim, b.dim), strings.Compare(a.value, b.value), strings.Compare(a.source, b.source))
	})
	return keys
}

// upsert adds the deltas to a rollup table whose date column is named col;
// when present is given, it notes which rows now count any inspection.
// On PostgreSQL it is one statement, an array per column; on SQLite
// multi-row upserts of rollupBatch rows.
func (d rollupDeltas) upsert(ctx context.Context, tx *txn, table, col string, present map[rollupKey]bool) error {
	head := `INSERT INTO ` + table + ` (crossing, ` + col + `, dim, value, source, inspections, seizures, value_usd, officer_minutes, quantity) `
	tail := `
		ON CONFLICT (crossing, ` + col + `, dim, value, source) DO UPDATE SET
			inspections = ` + table + `.inspections + excluded.inspections,
			seizures = ` + table + `.seizures + excluded.seizures,
			value_usd = ` + table + `.value_usd + excluded.value_usd,
			officer_minutes = ` + table + `.officer_minutes + excluded.officer_minutes,
			quantity = ` + table + `.quantity + excluded.quantity`
	run := func(q string, args []any) error {
		if present == nil {
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("rollup: %w", err)
			}
			return nil
		}
		rows, err := tx.query(ctx, q+` RETURNING crossing, `+col+`, dim, value, source, inspections`, args...)
		if err != nil {
			return fmt.Errorf("rollup: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k rollupKey
			var n int64
			if err := rows.Scan(&k.crossing, &k.day, &k.dim, &k.value, &k.source, &n); err != nil {
				return fmt.Errorf("rollup: %w", err)
			}
			present[k] = n > 0
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("rollup: %w", err)
		}
		return nil
	}
	keys := sortedKeys(d)
	if tx.db.dialect == Postgres {
		if len(keys) == 0 {
			return nil
		}
		var crossings, days, dims, values, sources []string
		var inspections, seizures []int64
		var valueUSD, officerMins, quantity []float64
		for _, k := range keys {
			s := d[k]
			crossings, days, dims, values = append(crossings, k.crossing), append(days, k.day), append(dims, k.dim), append(values, k.value)
			sources = append(sources, k.source)
			inspections, seizures = append(inspections, s.inspections), append(seizures, s.seizures)
			valueUSD, officerMins, quantity = append(valueUSD, s.valueUSD), append(officerMins, s.officerMins), append(quantity, s.quantity)
		}
		return run(head+`SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
			CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS float8[]), CAST(? AS float8[]), CAST(? AS float8[]))`+tail,
			[]any{crossings, days, dims, values, sources, inspections, seizures, valueUSD, officerMins, quantity})
	}
	for start := 0; start < len(keys); start += rollupBatch {
		chunk := keys[start:min(start+rollupBatch, len(keys))]
		args := make([]any, 0, 10*len(chunk))
		for _, k := range chunk {
			s := d[k]
			args = append(args, k.crossing, k.day, k.dim, k.value, k.source, s.inspections, s.seizures, s.valueUSD, s.officerMins, s.quantity)
		}
		if err := run(head+`VALUES `+placeholders(10, len(chunk))+tail, args); err != nil {
			return err
		}
	}
	return nil
}

// RebuildRollups recomputes every rollup from the inspections themselves.
// Migrate runs it when the rollups are new; tests compare it with the
// rollups kept write by write.
func (db *DB) RebuildRollups(ctx context.Context) error {
	return db.inTx(ctx, func(tx *txn) error {
		for _, table := range []string{"inspection_rollup", "inspection_rollup_month"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		zones, err := db.crossingZones(ctx, tx)
		if err != nil {
			return err
		}
		d := rollupDeltas{}
		var after int64
		for {
			rows, err := tx.QueryContext(ctx, db.Rebind(`SELECT seq, `+inspectionColumns+` FROM inspections i
				WHERE seq > ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id) ORDER BY seq LIMIT 1000`), after)
			if err != nil {
				return err
			}
			var page []outbound.Inspection
			for rows.Next() {
				in, _, err := scanInspection(withSeq{rows, &after})
				if err != nil {
					rows.Close()
					return err
				}
				page = append(page, in)
			}
			rows.Close()
			if len(page) == 0 {
				break
			}
			if err := db.loadDetails(ctx, tx, page); err != nil {
				return err
			}
			for i := range page {
				loc, err := outbound.Zone(zones[page[i].Crossing])
				if err != nil {
					return err
				}
				d.inspection(&page[i], loc, 1)
			}
		}
		return d.apply(ctx, tx)
	})
}

// RollupRow is one row of the rollups, for tests and reports.
type RollupRow struct {
	Crossing, Day, Dim, Value string
	Source                    string // outbound.SourceRecorded or SourceImported
	Inspections, Seizures     int64
	ValueUSD, OfficerMinutes  float64
	Quantity                  float64
	Days                      int64 // monthly rows: the mask of days with inspections
}

// Rollups reads every daily (or, with monthly, monthly) rollup row with a
// non-zero sum, in key order.
func (db *DB) Rollups(ctx context.Context, monthly bool) ([]RollupRow, error) {
	var out []RollupRow
	table, col, days := "inspection_rollup", "day", "0"
	if monthly {
		table, col, days = "inspection_rollup_month", "month", "days"
	}
	err := eachRow(ctx, db, `SELECT crossing, `+col+`, dim, value, source, inspections, seizures, value_usd, officer_minutes, quantity, `+days+`
		FROM `+table+` WHERE inspections <> 0 OR seizures <> 0 OR quantity <> 0 ORDER BY crossing, `+col+`, dim, value, source`,
		func(s scanner) (RollupRow, string, error) {
			var r RollupRow
			err := s.Scan(&r.Crossing, &r.Day, &r.Dim, &r.Value, &r.Source, &r.Inspections, &r.Seizures, &r.ValueUSD, &r.OfficerMinutes, &r.Quantity, &r.Days)
			return r, "", err
		}, func(r RollupRow) { out = append(out, r) })
	return out, err
}

// backfillPractices fills the practice dimension of the rollups from the
// inspections stored before it existed (migration 0025), one crossing at
// a time so that memory holds one crossing's days; the other dimensions'
// rows are left as they are.
func backfillPractices(ctx context.Context, tx *txn) error {
	var crossings []string
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT crossing FROM inspections ORDER BY crossing`)
	err = eachOf(rows, err, func(s scanner) (string, string, error) {
		var c string
		return c, "", s.Scan(&c)
	}, func(c string) { crossings = append(crossings, c) })
	if err != nil {
		return err
	}
	for i, c := range crossings {
		if p := tx.db.MigrationProgress; p != nil {
			p("0025_practice_rollup", int64(i), int64(len(crossings)))
		}
		q, args := tx.db.cubeSQL(rollupScope{crossing: c, from: "0000-01-01", to: "9999-12-31"})
		rows, err := tx.QueryContext(ctx, tx.db.Rebind(q), args...)
		d := rollupDeltas{}
		err = eachOf(rows, err, func(s scanner) (cubeRow, string, error) {
			r, err := scanCube(s)
			return r, "", err
		}, func(r cubeRow) {
			d.add(rollupKey{r.crossing, r.day, "practice", practiceValue(r.modality, r.techniques, r.officers), r.source}, r.sums)
		})
		if err != nil {
			return err
		}
		if err := d.apply(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}
