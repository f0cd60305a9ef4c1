package sqldb

import (
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/outbound-oss/outbound"
)

// RollupCheck says how much of the rollups a verification recomputes.
type RollupCheck struct {
	// Sample, when above 0, recomputes only this many crossing-months,
	// drawn uniformly from every crossing times every month between the
	// first and the last month that the inspections or the rollups hold;
	// 0 recomputes everything.
	Sample int
	// Rand draws the sample; nil draws from a random seed.
	Rand *rand.Rand
	// Progress, when set, is told how many of the steps are done.
	Progress func(done, total int64)
}

// rollupDims are the dimensions the rollups keep (rollupDeltas.inspection
// writes them; TestRollupDimsAreWritten holds the two together).
var rollupDims = []string{"all", "modality", "trigger", "outcome", "shift", "technique", "practice", "category", "category_unit"}

// rollupAgree reports whether a stored sum of dollars, minutes or
// quantities agrees with its recomputation: within a cent (or a hundredth
// of a minute) plus a millionth of the sum, since the rollups add and
// subtract floating-point numbers write by write, and SQLite reads
// instants to the millisecond.
func rollupAgree(stored, recomputed float64) bool {
	return math.Abs(stored-recomputed) <= 0.01+1e-6*max(math.Abs(stored), math.Abs(recomputed))
}

// sqliteShift is the SQL function that gives SQLite the shift of an
// instant at a time zone, with the same code (outbound.ShiftOf) that the
// writes used: SQLite knows no time zones. PostgreSQL reads the hour with
// AT TIME ZONE and maps it through ShiftOf as well (shiftSQL).
const sqliteShift = "outbound_shift"

var zones sync.Map // name -> *time.Location

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(sqliteShift, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		at, ok1 := args[0].(string)
		zone, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s(instant, zone): text expected", sqliteShift)
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sqliteShift, err)
		}
		loc, ok := zones.Load(zone)
		if !ok {
			l, err := outbound.Zone(zone)
			if err != nil {
				return nil, err
			}
			loc, _ = zones.LoadOrStore(zone, l)
		}
		return string(outbound.ShiftOf(t.In(loc.(*time.Location)))), nil
	})
}

// shiftSQL is the shift of i.started_at at the crossing's zone p.time_zone.
func (db *DB) shiftSQL() string {
	if db.dialect != Postgres {
		return sqliteShift + `(i.started_at, p.time_zone)`
	}
	var b strings.Builder
	b.WriteString(`CASE CAST(extract(hour FROM i.started_at AT TIME ZONE p.time_zone) AS integer)`)
	for h := range 24 {
		fmt.Fprintf(&b, ` WHEN %d THEN '%s'`, h, outbound.ShiftOf(time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC)))
	}
	b.WriteString(` END`)
	return b.String()
}

// officerMinutesSQL is an inspection's officer time, as the rollups count
// it: its length in minutes times its officers.
func (db *DB) officerMinutesSQL() string {
	if db.dialect == Postgres {
		return `CAST(extract(epoch FROM i.ended_at - i.started_at) AS double precision) / 60 * i.officer_count`
	}
	return `(julianday(i.ended_at) - julianday(i.started_at)) * 1440 * i.officer_count`
}

// collate makes an ORDER BY term sort as Go compares strings (bytewise),
// so that the merge below and the database agree on what comes first.
func (db *DB) collate(col string) string {
	if db.dialect == Postgres {
		return `(` + col + `) COLLATE "C"`
	}
	return col
}

// rollupScope narrows a recomputation to one crossing over days
// from..to; the zero scope is everything.
type rollupScope struct{ crossing, from, to string }

func (sc rollupScope) where(crossing, day string) (string, []any) {
	if sc.crossing == "" {
		return "", nil
	}
	return ` AND ` + crossing + ` = ? AND ` + day + ` >= ? AND ` + day + ` <= ?`, []any{sc.crossing, sc.from, sc.to}
}

// recomputeSQL aggregates one seizure dimension's daily cells (category
// or category_unit) from the seizures of the current, unvoided inspection
// versions, in (day, crossing, value) order: the sums
// rollupDeltas.inspection keeps write by write.
func (db *DB) recomputeSQL(dim string, sc rollupScope) (string, []any) {
	filter, fargs := sc.where("i.crossing", "i.local_day")
	value, sums := `z.category`, `0, count(*), sum(z.value_usd), 0, 0`
	if dim == "category_unit" {
		value, sums = `z.category || '|' || z.unit`, `0, count(*), 0, 0, sum(z.quantity)`
	}
	q := `SELECT i.local_day, i.crossing, ` + value + `, ` + sums + `, 0, ` + sourceSQL + ` FROM seizures z JOIN inspections i ON i.id = z.inspection_id
		WHERE i.voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)` + filter + `
		GROUP BY i.local_day, i.crossing, ` + value + `, ` + sourceSQL + `
		ORDER BY ` + db.collate(`i.local_day`) + `, ` + db.collate(`i.crossing`) + `, ` + db.collate(value) + `, ` + db.collate(sourceSQL)
	return q, append([]any{false}, fargs...)
}

// sourceSQL is the rollup source an inspection version i counts in
// (rollupSource).
const sourceSQL = `CASE WHEN i.import_id IS NULL THEN 'recorded' ELSE 'imported' END`

// inspectionDims are the dimensions every inspection counts in (the rest,
// category and category_unit, count seizures).
var inspectionDims = rollupDims[:7]

// cubeSQL aggregates the current, unvoided inspection versions once, by
// crossing-day and every value an inspection is counted under (its
// techniques as stored, a list), in (day, crossing) order: one scan of the
// inspections for all of inspectionDims, which Go then adds up per
// dimension.
//
// An inspection's seizures are counted by subqueries on the seizures' key,
// not by joining an aggregate of them: without statistics (a database
// just loaded) PostgreSQL nested that join and took minutes; a lookup by
// key costs the same on any plan.
func (db *DB) cubeSQL(sc rollupScope) (string, []any) {
	filter, fargs := sc.where("i.crossing", "i.local_day")
	keys := `local_day, crossing, modality, trigger, outcome, shift, techniques, officer_count, source`
	return `SELECT ` + keys + `, count(*), sum(n), sum(v), sum(minutes) FROM (
			SELECT i.local_day, i.crossing, i.modality, i.trigger, i.outcome, ` + db.shiftSQL() + ` AS shift, i.techniques, i.officer_count,
				` + sourceSQL + ` AS source,
				(SELECT count(*) FROM seizures z WHERE z.inspection_id = i.id) AS n,
				(SELECT coalesce(sum(z.value_usd), 0) FROM seizures z WHERE z.inspection_id = i.id) AS v,
				` + db.officerMinutesSQL() + ` AS minutes
			FROM inspections i JOIN crossings c ON c.code = i.crossing JOIN ports p ON p.code = c.port_code
			WHERE i.voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)` + filter + `
		) x
		GROUP BY ` + keys + `
		ORDER BY ` + db.collate(`local_day`) + `, ` + db.collate(`crossing`), append([]any{false}, fargs...)
}

// cubeRow is one row of cubeSQL: the inspections of a crossing-day that
// share every value they are counted under, and their sums.
type cubeRow struct {
	day, crossing, modality, trigger, outcome, shift, techniques, source string
	officers                                                             int
	sums                                                                 rollupSums
}

func scanCube(rows interface{ Scan(...any) error }) (cubeRow, error) {
	var r cubeRow
	s := &r.sums
	err := rows.Scan(&r.day, &r.crossing, &r.modality, &r.trigger, &r.outcome, &r.shift, &r.techniques, &r.officers, &r.source,
		&s.inspections, &s.seizures, &s.valueUSD, &s.officerMins)
	return r, err
}

// storedSQL reads one dimension's stored cells in the order recomputeSQL
// gives them: daily, or monthly with their masks of days.
func (db *DB) storedSQL(dim string, sc rollupScope, monthly bool) (string, []any) {
	table, col, days := "inspection_rollup", "day", "0"
	if monthly {
		table, col, days = "inspection_rollup_month", "month", "days"
	}
	filter, fargs := sc.where("crossing", col)
	return `SELECT ` + col + `, crossing, value, inspections, seizures, value_usd, officer_minutes, quantity, ` + days + `, source
		FROM ` + table + ` WHERE dim = ?` + filter + `
		ORDER BY ` + db.collate(col) + `, ` + db.collate(`crossing`) + `, ` + db.collate(`value`) + `, ` + db.collate(`source`), append([]any{dim}, fargs...)
}

// cell is one row of a rollup, stored or recomputed: period is a day, or
// the first day of a month.
type cell struct {
	period, crossing, value string
	sums                    rollupSums
	days                    int64
	source                  string // outbound.SourceRecorded or SourceImported
}

func (a *cell) compare(b *cell) int {
	return cmp.Or(strings.Compare(a.period, b.period), strings.Compare(a.crossing, b.crossing), strings.Compare(a.value, b.value),
		strings.Compare(a.source, b.source))
}

// empty reports whether a cell counts nothing: rollup rows stay behind,
// at zero, when what they counted is edited or voided away.
func (a *cell) empty() bool {
	s := a.sums
	return s.inspections == 0 && s.seizures == 0 && a.days == 0 &&
		rollupAgree(s.valueUSD, 0) && rollupAgree(s.officerMins, 0) && rollupAgree(s.quantity, 0)
}

// cellRows reads cells from a query, one at a time.
type cellRows struct {
	rows interface {
		Next() bool
		Scan(...any) error
		Err() error
		Close() error
	}
	cur  cell
	ok   bool
	err  error
	read int64
}

func (db *DB) openCells(ctx context.Context, q string, args []any) (*cellRows, error) {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("verify rollups: %w", err)
	}
	c := &cellRows{rows: rows}
	c.next()
	return c, c.err
}

func (c *cellRows) next() {
	c.ok = c.err == nil && c.rows.Next()
	if !c.ok {
		if c.err == nil {
			c.err = c.rows.Err()
		}
		return
	}
	c.read++
	s := &c.cur.sums
	if err := c.rows.Scan(&c.cur.period, &c.cur.crossing, &c.cur.value, &s.inspections, &s.seizures, &s.valueUSD, &s.officerMins, &s.quantity,
		&c.cur.days, &c.cur.source); err != nil {
		c.ok, c.err = false, fmt.Errorf("verify rollups: %w", err)
	}
}

// rollupMerge compares one dimension's recomputed cells with the stored
// ones as both arrive in the same order, holding one month of monthly
// cells at a time: memory stays bounded however many inspections there are.
type rollupMerge struct {
	v              *verifier
	dim            string
	daily, monthly *cellRows
	month          string              // the month being summed
	months         map[[3]string]*cell // (crossing, value, source) -> the month's recomputed cell
	cells          int64
}

// diff names every way a stored cell differs from its recomputation.
func (m *rollupMerge) diff(what string, stored, want *cell) {
	m.cells++
	var d []string
	a, b := stored.sums, want.sums
	if a.inspections != b.inspections {
		d = append(d, fmt.Sprintf("inspections %d stored, %d recomputed", a.inspections, b.inspections))
	}
	if a.seizures != b.seizures {
		d = append(d, fmt.Sprintf("seizures %d stored, %d recomputed", a.seizures, b.seizures))
	}
	if !rollupAgree(a.valueUSD, b.valueUSD) {
		d = append(d, fmt.Sprintf("value $%.2f stored, $%.2f recomputed", a.valueUSD, b.valueUSD))
	}
	if !rollupAgree(a.officerMins, b.officerMins) {
		d = append(d, fmt.Sprintf("officer minutes %.2f stored, %.2f recomputed", a.officerMins, b.officerMins))
	}
	if !rollupAgree(a.quantity, b.quantity) {
		d = append(d, fmt.Sprintf("quantity %g stored, %g recomputed", a.quantity, b.quantity))
	}
	if stored.days != want.days {
		d = append(d, fmt.Sprintf("days with inspections %s stored, %s recomputed", dayList(stored.days), dayList(want.days)))
	}
	if len(d) == 0 {
		return
	}
	c := stored
	if c.crossing == "" && c.period == "" {
		c = want
	}
	period := c.period
	if what == "monthly" && len(period) >= 7 {
		period = period[:7]
	}
	value := c.value
	if m.dim == "all" {
		value = "(all)"
	}
	if c.source != outbound.SourceRecorded {
		what = c.source + " " + what
	}
	m.v.problem(0, "%s rollup of crossing %s, %s, %s=%s does not match the inspections: %s", what, c.crossing, period, m.dim, value, strings.Join(d, "; "))
}

// dayList writes a mask of days as the days: "1,2,5", or "none".
func dayList(mask int64) string {
	var days []string
	for d := range 63 {
		if mask&(1<<d) != 0 {
			days = append(days, strconv.Itoa(d+1))
		}
	}
	if len(days) == 0 {
		return "none"
	}
	return strings.Join(days, ",")
}

// against advances a stored stream up to want (nil: to its end), naming
// stored cells that nothing recomputed, and compares the one that matches.
func (m *rollupMerge) against(what string, stored *cellRows, want *cell) {
	var none cell
	for stored.ok && (want == nil || stored.cur.compare(want) < 0) {
		if !stored.cur.empty() {
			m.diff(what, &stored.cur, &none)
		} else {
			m.cells++
		}
		stored.next()
	}
	if want == nil {
		return
	}
	if stored.ok && stored.cur.compare(want) == 0 {
		m.diff(what, &stored.cur, want)
		stored.next()
		return
	}
	if !want.empty() {
		missing := cell{period: want.period, crossing: want.crossing, value: want.value, source: want.source}
		m.diff(what, &missing, want)
	}
}

// day takes the next recomputed daily cell.
func (m *rollupMerge) day(want *cell) {
	m.against("daily", m.daily, want)
	if month := want.period[:8] + "01"; month != m.month {
		m.flushMonth()
		m.month = month
	}
	k := [3]string{want.crossing, want.value, want.source}
	mc := m.months[k]
	if mc == nil {
		mc = &cell{period: m.month, crossing: want.crossing, value: want.value, source: want.source}
		m.months[k] = mc
	}
	s := want.sums
	mc.sums.inspections += s.inspections
	mc.sums.seizures += s.seizures
	mc.sums.valueUSD += s.valueUSD
	mc.sums.officerMins += s.officerMins
	mc.sums.quantity += s.quantity
	if d, err := strconv.Atoi(want.period[8:]); err == nil && s.inspections > 0 && d >= 1 && d <= 31 {
		mc.days |= 1 << (d - 1)
	}
}

// flushMonth compares the month just summed, in (crossing, value) order.
func (m *rollupMerge) flushMonth() {
	list := make([]*cell, 0, len(m.months))
	for _, c := range m.months {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *cell) int { return a.compare(b) })
	for _, c := range list {
		m.against("monthly", m.monthly, c)
	}
	clear(m.months)
}

// verifyRollupDim recomputes one dimension within a scope and compares
// it, daily and monthly, with what is stored; step is called as each
// recomputed day is done.
func (db *DB) verifyRollupDim(ctx context.Context, v *verifier, dim string, sc rollupScope, step func(day string)) (int64, error) {
	q, args := db.recomputeSQL(dim, sc)
	want, err := db.openCells(ctx, q, args)
	if err != nil {
		return 0, err
	}
	defer want.rows.Close()
	m, err := db.openMerge(ctx, v, dim, sc)
	if err != nil {
		return 0, err
	}
	defer m.close()
	last := ""
	for ; want.ok; want.next() {
		if len(want.cur.period) != len(dayLayout) {
			return 0, fmt.Errorf("verify rollups: an inspection's local day %q is not a date", want.cur.period)
		}
		if step != nil && want.cur.period != last {
			last = want.cur.period
			step(last)
		}
		c := want.cur
		m.day(&c)
	}
	if want.err != nil {
		return m.cells, want.err
	}
	return m.cells, m.finish(ctx)
}

// openMerge opens the stored cells of one dimension, daily and monthly.
func (db *DB) openMerge(ctx context.Context, v *verifier, dim string, sc rollupScope) (*rollupMerge, error) {
	q, args := db.storedSQL(dim, sc, false)
	daily, err := db.openCells(ctx, q, args)
	if err != nil {
		return nil, err
	}
	q, args = db.storedSQL(dim, sc, true)
	monthly, err := db.openCells(ctx, q, args)
	if err != nil {
		daily.rows.Close()
		return nil, err
	}
	return &rollupMerge{v: v, dim: dim, daily: daily, monthly: monthly, months: map[[3]string]*cell{}}, nil
}

func (m *rollupMerge) close() {
	m.daily.rows.Close()
	m.monthly.rows.Close()
}

// finish compares what is stored past the last recomputed cell.
func (m *rollupMerge) finish(ctx context.Context) error {
	m.against("daily", m.daily, nil)
	m.flushMonth()
	m.against("monthly", m.monthly, nil)
	for _, c := range []*cellRows{m.daily, m.monthly} {
		if c.err != nil {
			return c.err
		}
	}
	return ctx.Err()
}

// verifyInspectionDims recomputes every dimension an inspection counts in
// from one aggregation (cubeSQL), summing a crossing-day's cells per
// dimension and handing them, in value order, to each dimension's merge.
func (db *DB) verifyInspectionDims(ctx context.Context, v *verifier, sc rollupScope, step func(day string)) (int64, error) {
	q, args := db.cubeSQL(sc)
	rows, err := db.sql.QueryContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return 0, fmt.Errorf("verify rollups: %w", err)
	}
	defer rows.Close()
	merges := make([]*rollupMerge, len(inspectionDims))
	for k, dim := range inspectionDims {
		if merges[k], err = db.openMerge(ctx, v, dim, sc); err != nil {
			return 0, err
		}
		defer merges[k].close()
	}
	cells := make([]map[[2]string]*cell, len(inspectionDims)) // this crossing-day's, per dimension, by value and source
	for k := range cells {
		cells[k] = map[[2]string]*cell{}
	}
	var day, crossing string
	flush := func() {
		for k, m := range merges {
			keys := make([][2]string, 0, len(cells[k]))
			for v := range cells[k] {
				keys = append(keys, v)
			}
			slices.SortFunc(keys, func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) })
			for _, v := range keys {
				m.day(cells[k][v])
			}
			clear(cells[k])
		}
	}
	for rows.Next() {
		r, err := scanCube(rows)
		if err != nil {
			return 0, fmt.Errorf("verify rollups: %w", err)
		}
		d, c, s, source := r.day, r.crossing, r.sums, r.source
		if len(d) != len(dayLayout) {
			return 0, fmt.Errorf("verify rollups: an inspection's local day %q is not a date", d)
		}
		if d != day || c != crossing {
			flush()
			if step != nil && d != day {
				step(d)
			}
			day, crossing = d, c
		}
		// The values each dimension counts these inspections under, in
		// inspectionDims' order; techniques count once each as listed.
		for k, vs := range [][]string{{""}, {r.modality}, {r.trigger}, {r.outcome}, {r.shift}, splitList[string](r.techniques),
			{practiceValue(r.modality, r.techniques, r.officers)}} {
			for _, v := range vs {
				key := [2]string{v, source}
				x := cells[k][key]
				if x == nil {
					x = &cell{period: d, crossing: c, value: v, source: source}
					cells[k][key] = x
				}
				x.sums.inspections += s.inspections
				x.sums.seizures += s.seizures
				x.sums.valueUSD += s.valueUSD
				x.sums.officerMins += s.officerMins
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("verify rollups: %w", err)
	}
	flush()
	var n int64
	for _, m := range merges {
		if err := m.finish(ctx); err != nil {
			return n, err
		}
		n += m.cells
	}
	return n, nil
}

// VerifyRollups recomputes the report rollups, daily and monthly with
// their masks of days, from the current inspection versions and names
// every stored cell that differs (at most maxProblems, then a count).
// Reports read the rollups, never the inspections: a rollup edited in the
// database would change national figures while every record still matches
// its audit entry. It returns the problems and how many cells it compared.
func (db *DB) VerifyRollups(ctx context.Context, check RollupCheck) (outbound.AuditReport, error) {
	if err := outbound.Authorize(ctx, outbound.ReadAudit, ""); err != nil {
		return outbound.AuditReport{}, err
	}
	v := &verifier{}
	if err := db.verifyRollups(ctx, v, check); err != nil {
		return v.rep, err
	}
	v.finish()
	return v.rep, nil
}

// finish notes the problems left out of the report.
func (v *verifier) finish() {
	if v.more > 0 {
		v.rep.Problems = append(v.rep.Problems, fmt.Sprintf("... and %d more problems", v.more))
		v.more = 0
	}
}

func (db *DB) verifyRollups(ctx context.Context, v *verifier, check RollupCheck) error {
	first, last, err := db.rollupSpan(ctx)
	if err != nil || first == "" {
		return err
	}
	if err := db.unknownDims(ctx, v); err != nil {
		return err
	}
	scopes := []rollupScope{{}}
	if check.Sample > 0 {
		if scopes, err = db.sampleScopes(ctx, check, first, last); err != nil {
			return err
		}
		v.rep.RollupSample = len(scopes)
	}
	// Progress counts days of each dimension: the full check walks
	// every day from first to last, a sample each day of its months.
	var total, done int64
	span := func(sc rollupScope) int64 {
		from, to := first, last
		if sc.crossing != "" {
			from, to = sc.from, sc.to
		}
		return daysBetween(from, to) + 1
	}
	// Three passes: the inspections' dimensions at once, then each of
	// the seizures' two.
	passes := []string{"", "category", "category_unit"}
	for _, sc := range scopes {
		total += span(sc) * int64(len(passes))
	}
	for _, sc := range scopes {
		for _, dim := range passes {
			start := done
			var step func(string)
			if check.Progress != nil {
				from := first
				if sc.crossing != "" {
					from = sc.from
				}
				step = func(day string) {
					done = start + daysBetween(from, day)
					check.Progress(done, total)
				}
			}
			verify := db.verifyInspectionDims
			if dim != "" {
				verify = func(ctx context.Context, v *verifier, sc rollupScope, step func(string)) (int64, error) {
					return db.verifyRollupDim(ctx, v, dim, sc, step)
				}
			}
			n, err := verify(ctx, v, sc, step)
			v.rep.RollupCells += n
			if err != nil {
				return err
			}
			done = start + span(sc)
			if check.Progress != nil {
				check.Progress(done, total)
			}
		}
	}
	return nil
}

// rollupSpan returns the first and last day that the inspections or the
// rollups hold ("" when neither holds any).
func (db *DB) rollupSpan(ctx context.Context) (string, string, error) {
	var first, last string
	for _, q := range []string{
		`SELECT coalesce(min(local_day), ''), coalesce(max(local_day), '') FROM inspections`,
		`SELECT coalesce(min(day), ''), coalesce(max(day), '') FROM inspection_rollup`,
		`SELECT coalesce(min(month), ''), coalesce(max(month), '') FROM inspection_rollup_month`,
	} {
		var a, b string
		if err := db.sql.QueryRowContext(ctx, q).Scan(&a, &b); err != nil {
			return "", "", fmt.Errorf("verify rollups: %w", err)
		}
		if a != "" && (first == "" || a < first) {
			first = a
		}
		if b > last {
			last = b
		}
	}
	if len(last) == len(dayLayout) && len(first) == len(dayLayout) {
		// A month's row is dated its first day; its month runs on.
		if end := monthEnd(last); end > last {
			last = end
		}
		return first, last, nil
	}
	if first != "" {
		return "", "", fmt.Errorf("verify rollups: days %q to %q are not dates", first, last)
	}
	return "", "", nil
}

// unknownDims names rollup rows of a dimension no write keeps: nothing
// recomputes them, and a report that asked for one would read them.
func (db *DB) unknownDims(ctx context.Context, v *verifier) error {
	in := `'` + strings.Join(rollupDims, `', '`) + `'`
	for _, table := range []string{"inspection_rollup", "inspection_rollup_month"} {
		err := eachRow(ctx, db, `SELECT dim, count(*) FROM `+table+` WHERE dim NOT IN (`+in+`) GROUP BY dim ORDER BY dim`,
			func(s scanner) ([2]string, string, error) {
				var r [2]string
				return r, "", s.Scan(&r[0], &r[1])
			}, func(r [2]string) {
				v.problem(0, "%s has %s rows of dimension %q, which no write keeps: they were written around the application", table, r[1], r[0])
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// sampleScopes draws check.Sample crossing-months, without repeats, from
// every crossing (registered, or named by a rollup row) and every month
// from first to last.
func (db *DB) sampleScopes(ctx context.Context, check RollupCheck, first, last string) ([]rollupScope, error) {
	var crossings []string
	err := eachRow(ctx, db, `SELECT code FROM crossings UNION SELECT DISTINCT crossing FROM inspection_rollup_month`,
		func(s scanner) (string, string, error) {
			var c string
			return c, "", s.Scan(&c)
		}, func(c string) { crossings = append(crossings, c) })
	if err != nil {
		return nil, err
	}
	slices.Sort(crossings)
	a, err1 := time.Parse(dayLayout, first[:8]+"01")
	b, err2 := time.Parse(dayLayout, last[:8]+"01")
	if err1 != nil || err2 != nil || len(crossings) == 0 {
		return nil, fmt.Errorf("verify rollups: days %q to %q", first, last)
	}
	var months []string
	for d := a; !d.After(b); d = d.AddDate(0, 1, 0) {
		months = append(months, d.Format(dayLayout))
	}
	r := check.Rand
	if r == nil {
		r = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	n := len(crossings) * len(months)
	picks := make([]int, 0, min(check.Sample, n))
	if check.Sample >= n {
		for i := range n {
			picks = append(picks, i)
		}
	} else {
		seen := map[int]bool{}
		for len(picks) < check.Sample {
			if i := r.IntN(n); !seen[i] {
				seen[i] = true
				picks = append(picks, i)
			}
		}
		slices.Sort(picks)
	}
	scopes := make([]rollupScope, len(picks))
	for k, i := range picks {
		m := months[i%len(months)]
		scopes[k] = rollupScope{crossing: crossings[i/len(months)], from: m, to: monthEnd(m)}
	}
	return scopes, nil
}

const dayLayout = "2006-01-02"

// daysBetween counts the days from a to b (dates as stored); 0 when
// either is not a date.
func daysBetween(a, b string) int64 {
	x, err1 := time.Parse(dayLayout, a)
	y, err2 := time.Parse(dayLayout, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int64(y.Sub(x) / (24 * time.Hour))
}

// monthEnd returns the last day of a stored date's month.
func monthEnd(day string) string {
	d, err := time.Parse(dayLayout, day[:8]+"01")
	if err != nil {
		return day
	}
	return d.AddDate(0, 1, -1).Format(dayLayout)
}
