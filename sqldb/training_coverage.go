package sqldb

import (
	"context"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
)

// TrainingCoverage is, for one crossing and one modality (or technique),
// how many officers inspected with it in a period and how many of them
// held a course for it, valid on the period's last day.
type TrainingCoverage struct {
	Crossing  string   `json:"crossing"`
	AppliesTo string   `json:"applies_to"`
	Officers  int      `json:"officers"`
	Trained   int      `json:"trained"`
	Share     float64  `json:"share"`
	Untrained []string `json:"untrained"` // badges, sorted
}

// Expiring is a training record that expires soon.
type Expiring struct {
	Badge     string        `json:"badge"`
	Course    string        `json:"course"`
	ExpiresOn outbound.Date `json:"expires_on"`
}

// TrainingReport measures training coverage per crossing in the actor's
// scope and modality over local days from..to, against a catalogue of
// courses per modality or technique (courses: applies_to -> course ids),
// and lists the records that expire within the days after to.
func (db *DB) TrainingReport(ctx context.Context, from, to outbound.Date, courses map[string][]string, within int) ([]TrainingCoverage, []Expiring, error) {
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
	type key struct{ crossing, appliesTo string }
	officers := map[key]map[string]bool{}
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
				k := key{r.crossing, to}
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
	var expiring []Expiring
	until := to.AddDays(within)
	err = eachRow(ctx, db, `SELECT `+trainingColumns+` FROM training`, scanTraining, func(t outbound.TrainingRecord) {
		records[t.Badge] = append(records[t.Badge], t)
		if !t.ExpiresOn.IsZero() && to.Before(t.ExpiresOn) && !until.Before(t.ExpiresOn) {
			expiring = append(expiring, Expiring{Badge: t.Badge, Course: t.Course, ExpiresOn: t.ExpiresOn})
		}
	})
	if err != nil {
		return nil, nil, err
	}
	var out []TrainingCoverage
	for k, badges := range officers {
		c := TrainingCoverage{Crossing: k.crossing, AppliesTo: k.appliesTo, Untrained: []string{}}
		for b := range badges {
			c.Officers++
			if slices.ContainsFunc(records[b], func(t outbound.TrainingRecord) bool {
				return slices.Contains(courses[k.appliesTo], t.Course) && t.ValidOn(to)
			}) {
				c.Trained++
			} else {
				c.Untrained = append(c.Untrained, b)
			}
		}
		slices.Sort(c.Untrained)
		c.Share = float64(c.Trained) / float64(c.Officers)
		out = append(out, c)
	}
	slices.SortFunc(out, func(x, y TrainingCoverage) int {
		return strings.Compare(x.Crossing+"/"+x.AppliesTo, y.Crossing+"/"+y.AppliesTo)
	})
	slices.SortFunc(expiring, func(x, y Expiring) int {
		return strings.Compare(x.ExpiresOn.String()+x.Badge+x.Course, y.ExpiresOn.String()+y.Badge+y.Course)
	})
	return out, expiring, nil
}
