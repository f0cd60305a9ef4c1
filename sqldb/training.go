package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

const trainingColumns = `id, badge, course, completed_on, expires_on, received_at, content_hash`

// RecordTraining stores each valid training record once, in one transaction.
func (db *DB) RecordTraining(ctx context.Context, batch []outbound.TrainingRecord) ([]outbound.RecordResult[outbound.TrainingRecord], error) {
	return record(ctx, db, batch, trainingStore)
}

var trainingStore = &store[outbound.TrainingRecord, *outbound.TrainingRecord]{
	table: "training", columns: trainingColumns, scan: scanTraining,
	actions: []string{"training.create"},
	permit:  func(*outbound.TrainingRecord) outbound.Action { return outbound.ManageUsers },
	digest: func(t *outbound.TrainingRecord, hash string) string {
		return outbound.RecordDigest(hash, ts(t.ReceivedAt))
	},
	prepare: func(_ context.Context, _ *txn, t *outbound.TrainingRecord, _ *time.Location, now time.Time) error {
		t.ReceivedAt = now
		return nil
	},
	insert: func(ctx context.Context, tx *txn, t *outbound.TrainingRecord, hash string) (bool, error) {
		return inserted(tx.exec(ctx, `INSERT INTO training (`+trainingColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			t.ID.String(), t.Badge, t.Course, t.CompletedOn.String(), t.ExpiresOn.String(), ts(t.ReceivedAt), hash))
	},
	taken: func(ctx context.Context, tx *txn, t *outbound.TrainingRecord) (*outbound.Error, error) {
		return takenBy(tx.queryRow(ctx, `SELECT id FROM training WHERE badge = ? AND course = ? AND completed_on = ?`,
			t.Badge, t.Course, t.CompletedOn.String()), fmt.Sprintf("%s's %s training of %s", t.Badge, t.Course, t.CompletedOn))
	},
}

func scanTraining(s scanner) (outbound.TrainingRecord, string, error) {
	var t outbound.TrainingRecord
	var hash, expires string
	err := s.Scan(&t.ID, &t.Badge, &t.Course, dbDate{&t.CompletedOn}, &expires, dbTime{&t.ReceivedAt}, &hash)
	if err == nil && expires != "" {
		t.ExpiresOn, err = outbound.ParseDate(expires)
	}
	return t, hash, err
}

// Trained returns the training records as a policy check needs them. An
// officer with no record at all is unknown rather than untrained: the
// record may simply not be kept here.
func (db *DB) Trained(ctx context.Context) (policy.Trained, error) {
	byBadge := map[string][]outbound.TrainingRecord{}
	err := eachRow(ctx, db, `SELECT `+trainingColumns+` FROM training`, scanTraining, func(t outbound.TrainingRecord) {
		byBadge[t.Badge] = append(byBadge[t.Badge], t)
	})
	if err != nil {
		return nil, err
	}
	return func(badge, course string, day outbound.Date) (bool, bool) {
		records, known := byBadge[badge]
		for _, t := range records {
			if t.Course == course && t.ValidOn(day) {
				return true, true
			}
		}
		return false, known
	}, nil
}
