package sqldb

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/schedule"
)

// closedShifts finds, from the staffing records of the 28 days before a
// plan, the shifts each crossing had no outbound hours planned on: no
// team to send. A crossing without staffing records has every shift open.
func (db *DB) closedShifts(ctx context.Context, from outbound.Date) (map[string][]outbound.Shift, error) {
	planned := map[string]map[outbound.Shift]float64{}
	type row struct {
		crossing string
		shift    outbound.Shift
		hours    float64
	}
	err := eachRow(ctx, db, `SELECT crossing, shift, sum(hours_planned) FROM staffing s WHERE day >= ? AND day < ? AND `+latestVersion+` GROUP BY crossing, shift`,
		func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.crossing, &r.shift, &r.hours)
		}, func(r row) {
			if planned[r.crossing] == nil {
				planned[r.crossing] = map[outbound.Shift]float64{}
			}
			planned[r.crossing][r.shift] += r.hours
		}, from.AddDays(-28).String(), from.String())
	closed := map[string][]outbound.Shift{}
	for c, hours := range planned {
		for _, sh := range outbound.Shifts {
			if hours[sh] <= 0 {
				closed[c] = append(closed[c], sh)
			}
		}
	}
	return closed, err
}

// MaxScheduleDays is the longest period one schedule covers.
const MaxScheduleDays = 92

// PlanningInput is the scheduler's input for a request: each crossing's
// sites (see PlanningSites), the budget (by default what the minimums need
// plus a quarter of the other shifts) and what a caught smuggler loses.
func (db *DB) PlanningInput(ctx context.Context, req outbound.ScheduleRequest, caughtLoss float64) (schedule.Input, error) {
	in := schedule.Input{From: req.From, To: req.To, CaughtLoss: caughtLoss, DailyPool: req.DailyPool}
	switch periodErr := req.Period().Validate(MaxScheduleDays); {
	case periodErr != nil:
		return in, periodErr
	case req.DailyPool < 0:
		return in, outbound.Errorf(outbound.EINVALID, "daily_pool", "the daily pool is a number of shifts, not negative")
	case req.Budget < 0:
		return in, outbound.Errorf(outbound.EINVALID, "budget", "the budget is a number of shifts, not negative")
	case caughtLoss < 0:
		return in, outbound.Errorf(outbound.EINVALID, "caught_loss", "what a caught smuggler loses must not be negative")
	}
	var err error
	if in.Sites, err = db.PlanningSites(ctx, req.From, req.To, req.Crossings); err != nil {
		return in, err
	}
	if len(in.Sites) == 0 {
		return in, outbound.Errorf(outbound.EINVALID, "crossings", "no crossing to plan for: import BTS ports or add crossings first")
	}
	overrides := []struct {
		field  string
		values map[string]float64
		limit  float64
		set    func(*schedule.Site, float64)
	}{
		{"weights", req.Weights, 1000, func(s *schedule.Site, x float64) { s.Weight = x }},
		{"exits_per_day", req.ExitsPerDay, 10_000_000, func(s *schedule.Site, x float64) { s.Exits = x }},
		{"seizure_rates", req.SeizureRates, 1e9, func(s *schedule.Site, x float64) { s.SeizureRate = x }},
	}
	for _, o := range overrides {
		for _, code := range slices.Sorted(maps.Keys(o.values)) {
			x := o.values[code]
			i := slices.IndexFunc(in.Sites, func(s schedule.Site) bool { return s.Crossing == code })
			switch {
			case i < 0:
				return in, outbound.Errorf(outbound.EINVALID, o.field, "%s for crossing %q, which is not in the plan", o.field, code)
			case !(x >= 0 && x <= o.limit):
				return in, outbound.Errorf(outbound.EINVALID, o.field, "%s of crossing %s must be 0 to %g", o.field, code, o.limit)
			}
			o.set(&in.Sites[i], x)
		}
	}
	budget := req.Budget
	if budget == 0 {
		need, open, err := schedule.Need(in)
		if err != nil {
			return in, err
		}
		budget = need + (open-need)/4
	}
	in.Budgets = []schedule.Budget{{Shifts: budget}}
	for office, n := range req.FieldOfficeBudgets {
		if n < 0 {
			return in, outbound.Errorf(outbound.EINVALID, "field_office_budgets", "the budget of field office %s must not be negative", office)
		}
		in.Budgets = append(in.Budgets, schedule.Budget{FieldOffice: office, Shifts: n})
	}
	slices.SortFunc(in.Budgets, func(a, b schedule.Budget) int { return strings.Compare(a.FieldOffice, b.FieldOffice) })
	return in, nil
}

// PublishSchedule draws a schedule for the request from crypto/rand and
// publishes it: one record per crossing, each audited, and sent to that
// crossing's port node with its reference data.
func (db *DB) PublishSchedule(ctx context.Context, req outbound.ScheduleRequest) ([]outbound.PublishedSchedule, error) {
	if err := outbound.Authorize(ctx, outbound.PlanOperations, ""); err != nil {
		return nil, err
	}
	for _, c := range req.Crossings {
		if err := outbound.Authorize(ctx, outbound.PlanOperations, c); err != nil {
			return nil, err
		}
	}
	in, err := db.PlanningInput(ctx, req, 1)
	if err != nil {
		return nil, err
	}
	plan, err := schedule.Draw(in, schedule.CryptoRand(), false)
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	at, by := db.Now().UTC().Truncate(time.Microsecond), outbound.ActorFrom(ctx).Name
	byCrossing := map[string][]outbound.ScheduledShift{}
	for _, o := range plan.Operations {
		byCrossing[o.Crossing] = append(byCrossing[o.Crossing], outbound.ScheduledShift{Day: o.Day, Shift: o.Shift})
	}
	var out []outbound.PublishedSchedule
	for _, s := range in.Sites {
		ops := byCrossing[s.Crossing]
		if ops == nil {
			ops = []outbound.ScheduledShift{}
		}
		out = append(out, outbound.PublishedSchedule{ID: id.String(), Crossing: s.Crossing, From: req.From, To: req.To, Operations: ops,
			AttackerValue: plan.AttackerValue, PublishedAt: at, PublishedBy: by})
	}
	return out, db.inTx(ctx, func(tx *txn) error { return db.storeSchedules(ctx, tx, out, "schedule.publish") })
}

// storeSchedules inserts published schedules and their audit entries; one
// already stored is left as it is.
func (db *DB) storeSchedules(ctx context.Context, tx *txn, list []outbound.PublishedSchedule, action string) error {
	var changes []change
	for _, s := range list {
		res, err := tx.exec(ctx, `INSERT INTO schedules (id, crossing, from_day, to_day, operations, attacker_value, published_at, published_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, s.ID, s.Crossing, s.From.String(), s.To.String(),
			joinShifts(s.Operations), s.AttackerValue, ts(s.PublishedAt), s.PublishedBy)
		if ok, err := inserted(res, err); err != nil {
			return fmt.Errorf("store schedule: %w", err)
		} else if ok {
			changes = append(changes, change{action: action, subject: scheduleSubject(s), crossing: s.Crossing, after: scheduleDigest(s)})
		}
	}
	return db.appendAudit(ctx, tx, changes)
}

func scheduleSubject(s outbound.PublishedSchedule) string {
	return "schedule:" + s.ID + "/" + s.Crossing
}

// scheduleDigest is what the audit log keeps of a published schedule.
func scheduleDigest(s outbound.PublishedSchedule) string {
	return outbound.Digest(strings.Join([]string{s.ID, s.Crossing, s.From.String(), s.To.String(), joinShifts(s.Operations),
		fmt.Sprint(s.AttackerValue), ts(s.PublishedAt), s.PublishedBy}, "|"))
}

func joinShifts(ops []outbound.ScheduledShift) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.Day.String() + " " + string(o.Shift)
	}
	return strings.Join(parts, ",")
}

func splitShifts(s string) ([]outbound.ScheduledShift, error) {
	ops := []outbound.ScheduledShift{}
	if s == "" {
		return ops, nil
	}
	for _, part := range strings.Split(s, ",") {
		day, shift, _ := strings.Cut(part, " ")
		d, err := outbound.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("stored schedule: %w", err)
		}
		ops = append(ops, outbound.ScheduledShift{Day: d, Shift: outbound.Shift(shift)})
	}
	return ops, nil
}

const scheduleColumns = `id, crossing, from_day, to_day, operations, attacker_value, published_at, published_by`

func scanSchedule(s scanner) (outbound.PublishedSchedule, error) {
	var p outbound.PublishedSchedule
	var from, to, ops string
	if err := s.Scan(&p.ID, &p.Crossing, &from, &to, &ops, &p.AttackerValue, dbTime{&p.PublishedAt}, &p.PublishedBy); err != nil {
		return p, err
	}
	var err error
	if p.From, err = outbound.ParseDate(from); err == nil {
		p.To, err = outbound.ParseDate(to)
	}
	if err == nil {
		p.Operations, err = splitShifts(ops)
	}
	return p, err
}

// FindSchedules returns, for each crossing in the actor's scope (or the
// one given), the latest publication that covers any of days from..to.
func (db *DB) FindSchedules(ctx context.Context, crossing string, from, to outbound.Date) ([]outbound.PublishedSchedule, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, crossing); err != nil {
		return nil, err
	}
	if err := (outbound.Period{From: from, To: to}).Validate(outbound.AnyLength); err != nil {
		return nil, err
	}
	query, args := `SELECT `+scheduleColumns+` FROM schedules WHERE from_day <= ? AND to_day >= ?`, []any{to.String(), from.String()}
	if crossing != "" {
		query, args = query+` AND crossing = ?`, append(args, crossing)
	}
	latest := map[string]outbound.PublishedSchedule{}
	a := outbound.ActorFrom(ctx)
	err := eachRow(ctx, db, query+` ORDER BY published_at, id`, withHash(scanSchedule), func(s outbound.PublishedSchedule) {
		if a.InScope(s.Crossing) {
			latest[s.Crossing] = s // in publication order: the last one wins
		}
	}, args...)
	out := make([]outbound.PublishedSchedule, 0, len(latest))
	for _, s := range latest {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b outbound.PublishedSchedule) int { return strings.Compare(a.Crossing, b.Crossing) })
	return out, err
}

// PlanningSites gathers what the scheduler needs to know of each crossing
// the actor may see (or of those named) for a plan over local days
// from..to: exits a day and the seizure rate over the year before the
// plan, from the exits and seizures reports, and the windows of the policy
// in force.
func (db *DB) PlanningSites(ctx context.Context, from, to outbound.Date, crossings []string) ([]schedule.Site, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	year := outbound.ReportFilter{From: from.AddDays(-365), To: from.AddDays(-1)}
	exits, err := db.Report(ctx, "exits", year)
	if err != nil {
		return nil, err
	}
	seized, err := db.Report(ctx, "seizures", year)
	if err != nil {
		return nil, err
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	for _, code := range crossings {
		if !slices.ContainsFunc(all, func(c outbound.Crossing) bool { return c.Code == code }) {
			return nil, outbound.Errorf(outbound.ENOTFOUND, "crossing", "crossing %q does not exist", code)
		}
	}
	value := map[string]float64{}
	for _, r := range seized.Rows {
		value[r.Get(outbound.CrossingKey).(string)], _ = r.Get(outbound.ValueUSD).(float64)
	}
	perDay := map[string]float64{}
	for _, r := range exits.Rows {
		n, _ := r.Get(outbound.Exits).(int64)
		perDay[r.Get(outbound.CrossingKey).(string)] = float64(n) / 365
	}
	closed, err := db.closedShifts(ctx, from)
	if err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	var sites []schedule.Site
	for _, c := range all {
		if !a.InScope(c.Code) || len(crossings) > 0 && !slices.Contains(crossings, c.Code) {
			continue
		}
		s := schedule.Site{Crossing: c.Code, Border: string(c.Border), FieldOffice: c.FieldOffice, Exits: perDay[c.Code], Weight: 1,
			Closed: closed[c.Code]}
		if s.Exits > 0 {
			s.SeizureRate = 1000 * value[c.Code] / (s.Exits * 365)
		}
		for _, w := range policy.Windows(docs, crossingOf(c), from, to) {
			s.Minimums = append(s.Minimums, schedule.Minimum{Rule: w.Rule, Start: w.Start, End: w.End, Shifts: w.Required})
		}
		sites = append(sites, s)
	}
	return sites, nil
}
