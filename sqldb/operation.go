package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/schedule"
)

// MaxOperationDays is the longest a pulse-and-surge operation runs.
const MaxOperationDays = 31

// PlanOperation plans a pulse-and-surge operation at crossings in the
// actor's scope. A random one draws its crossings from crypto/rand,
// weighted as the scheduler weighs them; an intelligence-driven one takes
// the crossings named and must say why. It is audited, and sent to the
// port nodes of its crossings.
func (db *DB) PlanOperation(ctx context.Context, req outbound.OperationRequest) (outbound.Operation, error) {
	op := outbound.Operation{Name: strings.TrimSpace(req.Name), Basis: req.Basis, From: req.From, To: req.To, Officers: req.Officers,
		Reason: strings.TrimSpace(req.Reason)}
	if err := outbound.Authorize(ctx, outbound.PlanOperations, ""); err != nil {
		return op, err
	}
	switch periodErr := req.Period().Validate(MaxOperationDays); {
	case op.Name == "":
		return op, outbound.Errorf(outbound.EINVALID, "name", "an operation needs a name")
	case op.Basis != outbound.RandomBasis && op.Basis != outbound.IntelligenceBasis:
		return op, outbound.Errorf(outbound.EINVALID, "basis", "basis %q is not random or intelligence", op.Basis)
	case periodErr != nil:
		return op, periodErr
	case op.Officers < 1:
		return op, outbound.Errorf(outbound.EINVALID, "officers", "an operation brings at least one officer")
	case op.Basis == outbound.IntelligenceBasis && (len(req.Crossings) == 0 || op.Reason == ""):
		return op, outbound.Errorf(outbound.EINVALID, "reason", "an intelligence-driven operation names its crossings and the reason for them")
	case op.Basis == outbound.RandomBasis && req.Count < 1:
		return op, outbound.Errorf(outbound.EINVALID, "count", "a random operation says how many crossings to draw")
	}
	for _, c := range req.Crossings {
		if err := outbound.Authorize(ctx, outbound.PlanOperations, c); err != nil {
			return op, err
		}
	}
	all, err := db.FindCrossings(ctx)
	if err != nil {
		return op, err
	}
	a := outbound.ActorFrom(ctx)
	var candidates []string
	for _, c := range all {
		if a.InScope(c.Code) && (len(req.Crossings) == 0 || slices.Contains(req.Crossings, c.Code)) &&
			(req.FieldOffice == "" || c.FieldOffice == req.FieldOffice) {
			candidates = append(candidates, c.Code)
		}
	}
	for _, c := range req.Crossings {
		switch {
		case slices.Contains(candidates, c):
		case req.FieldOffice != "":
			return op, outbound.Errorf(outbound.ENOTFOUND, "crossings", "crossing %q does not exist or is not in field office %q", c, req.FieldOffice)
		default:
			return op, outbound.Errorf(outbound.ENOTFOUND, "crossings", "crossing %q does not exist", c)
		}
	}
	op.Crossings = candidates
	if op.Basis == outbound.RandomBasis {
		if len(candidates) == 0 {
			return op, outbound.Errorf(outbound.EINVALID, "crossings", "no crossing to draw from")
		}
		sites, err := db.PlanningSites(ctx, op.From, op.To, candidates)
		if err != nil {
			return op, err
		}
		if op.Crossings, err = schedule.PickSites(sites, req.Count, schedule.CryptoRand()); err != nil {
			return op, err
		}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return op, err
	}
	op.ID, op.PlannedAt, op.PlannedBy = id.String(), db.Now().UTC().Truncate(time.Microsecond), a.Name
	return op, db.inTx(ctx, func(tx *txn) error { return db.storeOperations(ctx, tx, []outbound.Operation{op}, "operation.plan") })
}

// storeOperations inserts operations and their audit entries; one already
// stored is left as it is.
func (db *DB) storeOperations(ctx context.Context, tx *txn, ops []outbound.Operation, action string) error {
	var changes []change
	for _, op := range ops {
		res, err := tx.exec(ctx, `INSERT INTO operations (`+operationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			op.ID, op.Name, op.Basis, joinList(op.Crossings), op.From.String(), op.To.String(), op.Officers, op.Reason, ts(op.PlannedAt), op.PlannedBy)
		if ok, err := inserted(res, err); err != nil {
			return fmt.Errorf("store operation: %w", err)
		} else if ok {
			changes = append(changes, change{action: action, subject: "operation:" + op.ID, after: operationDigest(op)})
		}
	}
	return db.appendAudit(ctx, tx, changes)
}

const operationColumns = `id, name, basis, crossings, from_day, to_day, officers, reason, planned_at, planned_by`

// operationDigest is what the audit log keeps of an operation.
func operationDigest(op outbound.Operation) string {
	return outbound.Digest(strings.Join([]string{op.ID, op.Name, op.Basis, joinList(op.Crossings), op.From.String(), op.To.String(),
		fmt.Sprint(op.Officers), op.Reason, ts(op.PlannedAt), op.PlannedBy}, "|"))
}

func scanOperation(s scanner) (outbound.Operation, error) {
	var op outbound.Operation
	var crossings, from, to string
	if err := s.Scan(&op.ID, &op.Name, &op.Basis, &crossings, &from, &to, &op.Officers, &op.Reason, dbTime{&op.PlannedAt}, &op.PlannedBy); err != nil {
		return op, err
	}
	op.Crossings = splitList[string](crossings)
	var err error
	if op.From, err = outbound.ParseDate(from); err == nil {
		op.To, err = outbound.ParseDate(to)
	}
	return op, err
}

// FindOperations lists the operations with a crossing in the actor's
// scope that overlap local days from..to, earliest first.
func (db *DB) FindOperations(ctx context.Context, from, to outbound.Date) ([]outbound.Operation, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	if err := (outbound.Period{From: from, To: to}).Validate(outbound.AnyLength); err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	out := []outbound.Operation{}
	err := eachRow(ctx, db, `SELECT `+operationColumns+` FROM operations WHERE from_day <= ? AND to_day >= ? ORDER BY from_day, id`,
		withHash(scanOperation), func(op outbound.Operation) {
			if slices.ContainsFunc(op.Crossings, a.InScope) {
				out = append(out, op)
			}
		}, to.String(), from.String())
	return out, err
}

// OperationResults reports an operation with the current, unvoided
// inspections that name it, at crossings in the actor's scope.
func (db *DB) OperationResults(ctx context.Context, id string) (outbound.OperationResult, error) {
	var res outbound.OperationResult
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return res, err
	}
	a := outbound.ActorFrom(ctx)
	var found bool
	err := eachRow(ctx, db, `SELECT `+operationColumns+` FROM operations WHERE id = ?`, withHash(scanOperation), func(op outbound.Operation) {
		res.Operation, found = op, true
	}, id)
	switch {
	case err != nil:
		return res, err
	case !found:
		return res, outbound.Errorf(outbound.ENOTFOUND, "id", "no operation %q", id)
	case !slices.ContainsFunc(res.Crossings, a.InScope):
		return res, outbound.Errorf(outbound.EFORBIDDEN, "id", "%s may not read operation %s: none of its crossings is in their scope", a.Name, id)
	}
	const current = ` FROM inspections i WHERE i.operation_id = ? AND i.voided = ?
		AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`
	// An inspection names its operation by the id a client sent: it counts
	// only at the operation's crossings on its days, so that nobody
	// elsewhere, or at another time, adds to what the operation produced.
	counts := func(crossing, day string) bool {
		d, err := outbound.ParseDate(day)
		return err == nil && a.InScope(crossing) && res.RunsAt(crossing, d)
	}
	type row struct {
		crossing, day string
		start, end    time.Time
		officers      int
	}
	err = eachRow(ctx, db, `SELECT i.crossing, i.local_day, i.started_at, i.ended_at, i.officer_count`+current, func(s scanner) (row, string, error) {
		var r row
		return r, "", s.Scan(&r.crossing, &r.day, dbTime{&r.start}, dbTime{&r.end}, &r.officers)
	}, func(r row) {
		if counts(r.crossing, r.day) {
			res.Inspections++
			res.OfficerHours += r.end.Sub(r.start).Hours() * float64(r.officers)
		}
	}, id, false)
	if err != nil {
		return res, err
	}
	type seized struct {
		crossing, day string
		value         float64
	}
	err = eachRow(ctx, db, `SELECT i.crossing, i.local_day, s.value_usd FROM seizures s JOIN inspections i ON i.id = s.inspection_id
		WHERE i.operation_id = ? AND i.voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`,
		func(s scanner) (seized, string, error) {
			var r seized
			return r, "", s.Scan(&r.crossing, &r.day, &r.value)
		}, func(r seized) {
			if counts(r.crossing, r.day) {
				res.Seizures++
				res.ValueUSD += r.value
			}
		}, id, false)
	return res, err
}
