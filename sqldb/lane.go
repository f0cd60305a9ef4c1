package sqldb

import (
	"context"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
	"github.com/outbound-oss/outbound/schedule"
)

// DecideLane decides whether one vehicle is inspected: at the probability
// the lane_selection rule in force at the crossing sets for its modality
// and risk score, with a draw from DB.Draw (crypto/rand). The decision is
// stored and audited before it is answered; asking again with the same id
// answers the same decision.
func (db *DB) DecideLane(ctx context.Context, req outbound.LaneRequest) (outbound.RecordResult[outbound.LaneDecision], error) {
	res := outbound.RecordResult[outbound.LaneDecision]{ID: req.ID}
	if err := outbound.Authorize(ctx, outbound.WriteInspection, req.Crossing); err != nil {
		return res, err
	}
	if err := req.Validate(); err != nil {
		return res, err
	}
	score := 1.0
	if req.Score != nil {
		score = *req.Score
	}
	stored, _, found, err := findOne(db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+laneColumns+` FROM lane_decisions WHERE id = ?`), req.ID.String()), scanLane)
	switch {
	case err != nil:
		return res, err
	case found && stored.Crossing == req.Crossing && stored.Lane == req.Lane && stored.Modality == req.Modality && stored.Score == score:
		res.Status, res.Record = outbound.Replayed, &stored
		return res, nil
	case found:
		return res, outbound.Errorf(outbound.ECONFLICT, "id", "id %s already decided another vehicle", req.ID)
	}
	c, err := db.FindCrossing(ctx, req.Crossing)
	if err != nil {
		return res, err
	}
	docs, err := db.FindPolicies(ctx)
	if err != nil {
		return res, err
	}
	draw := db.Draw
	if draw == nil {
		draw = cryptoFloat
	}
	rc := *laneStore // drawn here, from a request already checked
	rc.validate = func(*outbound.LaneDecision, time.Time) error { return nil }
	rc.prepare = func(_ context.Context, _ *txn, d *outbound.LaneDecision, loc *time.Location, now time.Time) error {
		d.Day, d.DecidedAt, d.DecidedBy = outbound.DateOf(now.In(loc)), now, outbound.ActorFrom(ctx).Name
		sel, rule, ok := policy.LaneRule(docs, crossingOf(c), d.Day, string(d.Modality))
		if !ok {
			return outbound.Errorf(outbound.EUNPROCESSABLE, "modality", "no lane_selection rule is in force at crossing %s for %s: publish one in the policy", c.Code, d.Modality)
		}
		d.Rule, d.Probability, d.Draw = rule, sel.Probability(d.Score), draw()
		d.Inspect = d.Draw < d.Probability
		return nil
	}
	out, err := record(ctx, db, []outbound.LaneDecision{{ID: req.ID, Crossing: req.Crossing, Lane: req.Lane, Modality: req.Modality, Score: score}}, &rc)
	if err != nil {
		return res, err
	}
	if out[0].Err != nil { // one item: its failure is the answer
		return res, out[0].Err
	}
	return out[0], nil
}

// RecordLaneDecisions stores decisions a port node made and sends up,
// once each; each must be decided by its draw.
func (db *DB) RecordLaneDecisions(ctx context.Context, batch []outbound.LaneDecision) ([]outbound.RecordResult[outbound.LaneDecision], error) {
	if err := outbound.Authorize(ctx, outbound.SyncNode, ""); err != nil {
		return nil, err
	}
	return record(ctx, db, batch, laneStore)
}

// laneStore stores lane decisions a node made and sends up, as they were
// made; DecideLane draws its own with another prepare.
var laneStore = &store[outbound.LaneDecision, *outbound.LaneDecision]{
	textID: true,
	table:  "lane_decisions", columns: laneColumns, scan: scanLane,
	actions: []string{"lane.decide"},
	permit:  func(*outbound.LaneDecision) outbound.Action { return outbound.WriteInspection },
	digest:  func(_ *outbound.LaneDecision, hash string) string { return outbound.RecordDigest(hash) },
	prepare: func(context.Context, *txn, *outbound.LaneDecision, *time.Location, time.Time) error { return nil },
	insert: func(ctx context.Context, tx *txn, d *outbound.LaneDecision, hash string) (bool, error) {
		return inserted(tx.exec(ctx, `INSERT INTO lane_decisions (`+laneColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			d.ID.String(), d.Crossing, d.Lane, string(d.Modality), d.Score, d.Day.String(), d.Rule, d.Probability, d.Draw,
			d.Inspect, ts(d.DecidedAt), d.DecidedBy, hash))
	},
}

const laneColumns = `id, crossing, lane, modality, score, day, rule, probability, draw_value, inspected, decided_at, decided_by, content_hash`

func scanLane(s scanner) (outbound.LaneDecision, string, error) {
	var d outbound.LaneDecision
	var hash string
	err := s.Scan(&d.ID, &d.Crossing, &d.Lane, &d.Modality, &d.Score, dbDate{&d.Day}, &d.Rule, &d.Probability, &d.Draw,
		&d.Inspect, dbTime{&d.DecidedAt}, &d.DecidedBy, &hash)
	return d, hash, err
}

// FindLaneDecisions lists lane decisions, newest day first.
func (db *DB) FindLaneDecisions(ctx context.Context, f outbound.Filter) ([]outbound.LaneDecision, string, error) {
	return findDaily(ctx, db, f, laneStore, func(d *outbound.LaneDecision) outbound.Date { return d.Day })
}

// cryptoFloat is a uniform draw in [0, 1) from crypto/rand: a lane's
// decisions must not be predictable.
func cryptoFloat() float64 { return schedule.CryptoRand().Float64() }
