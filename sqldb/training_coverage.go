package sqldb

import (
	"context"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// TrainingReport measures training coverage per crossing in the actor's
// scope and modality over local days from..to, against a catalogue of
// courses per modality or technique (courses: applies_to -> course ids),
// and lists the records that expire within the days after to.
func (db *DB) TrainingReport(ctx context.Context, from, to outbound.Date, courses map[string][]string, within int) ([]tally.TrainingCoverage, []tally.Expiring, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, nil, err
	}
	if err := (outbound.Period{From: from, To: to}).Validate(outbound.AnyLength); err != nil {
		return nil, nil, err
	}
	if within < 0 {
		return nil, nil, outbound.Errorf(outbound.EINVALID, "expiring_within", "the days after to to look for expiring records must not be negative")
	}
	a := outbound.ActorFrom(ctx)
	officers := map[tally.Practice]map[string]bool{}
	type row struct {
		crossing, modality, techniques, badges string
	}
	err := eachRow(ctx, db, `SELECT crossing, modality, techniques, officers FROM inspections i
		WHERE local_day >= ? AND local_day <= ? AND voided = ? AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.replaces = i.id)`,
		func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.crossing, &r.modality, &r.techniques, &r.badges)
		}, func(r row) {
			if !a.InScope(r.crossing) {
				return
			}
			for _, to := range append([]string{r.modality}, splitList[string](r.techniques)...) {
				if _, ok := courses[to]; !ok {
					continue
				}
				k := tally.Practice{Crossing: r.crossing, AppliesTo: to}
				if officers[k] == nil {
					officers[k] = map[string]bool{}
				}
				for _, b := range splitList[string](r.badges) {
					officers[k][b] = true
				}
			}
		}, from.String(), to.String(), false)
	if err != nil {
		return nil, nil, err
	}
	records := map[string][]outbound.TrainingRecord{}
	err = eachRow(ctx, db, `SELECT `+trainingColumns+` FROM training`, scanTraining, func(t outbound.TrainingRecord) {
		records[t.Badge] = append(records[t.Badge], t)
	})
	if err != nil {
		return nil, nil, err
	}
	coverage, expiring := tally.Training(officers, records, courses, to, within)
	return coverage, expiring, nil
}
