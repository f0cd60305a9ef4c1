package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/gaps"
)

// RecordSurveys stores each valid survey once, in one transaction, with
// who answered it and when. A correction is a new survey: every one is
// kept, so the answers have a history.
func (db *DB) RecordSurveys(ctx context.Context, batch []outbound.Survey) ([]outbound.RecordResult[outbound.Survey], error) {
	return record(ctx, db, batch, surveyStore)
}

var surveyStore = &store[outbound.Survey, *outbound.Survey]{
	table: "surveys", columns: surveyColumns, scan: scanSurvey,
	actions: []string{"survey.create"},
	permit:  func(*outbound.Survey) outbound.Action { return outbound.WriteSurvey },
	digest:  surveyDigest,
	prepare: func(ctx context.Context, _ *txn, s *outbound.Survey, _ *time.Location, now time.Time) error {
		s.ReceivedAt, s.RecordedBy = now, outbound.ActorFrom(ctx).Name
		return nil
	},
	insert: func(ctx context.Context, tx *txn, s *outbound.Survey, hash string) (bool, error) {
		answers, err := json.Marshal(s)
		if err != nil {
			return false, err
		}
		return inserted(tx.exec(ctx, `INSERT INTO surveys (`+surveyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.ID.String(), s.Crossing, s.Day.String(), string(answers), ts(s.ReceivedAt), s.RecordedBy, hash))
	},
}

// surveyDigest is what the audit log keeps of a stored survey.
func surveyDigest(s *outbound.Survey, hash string) string {
	return outbound.RecordDigest(hash, ts(s.ReceivedAt), s.RecordedBy)
}

const surveyColumns = `id, crossing, day, answers, received_at, recorded_by, content_hash`

func scanSurvey(sc scanner) (outbound.Survey, string, error) {
	var s outbound.Survey
	var id, crossing, day, answers, by, hash string
	var at time.Time
	if err := sc.Scan(&id, &crossing, &day, &answers, dbTime{&at}, &by, &hash); err != nil {
		return s, "", err
	}
	err := json.Unmarshal([]byte(answers), &s)
	if err != nil {
		return s, "", fmt.Errorf("stored survey %s: %w", id, err)
	}
	// The columns are the record, the JSON only the answers: a row whose
	// columns were changed must not read back as the survey the audit log
	// holds.
	if s.ID, err = uuid.Parse(id); err != nil {
		return s, "", fmt.Errorf("stored survey %s: %w", id, err)
	}
	if s.Day, err = outbound.ParseDate(day); err != nil {
		return s, "", fmt.Errorf("stored survey %s: %w", id, err)
	}
	s.Crossing, s.ReceivedAt, s.RecordedBy = crossing, at, by
	return s, hash, nil
}

// FindSurveys lists surveys, newest day first.
func (db *DB) FindSurveys(ctx context.Context, f outbound.Filter) ([]outbound.Survey, string, error) {
	return findDaily(ctx, db, f, surveyStore, func(s *outbound.Survey) outbound.Date { return s.Day })
}

// LatestSurveys returns each crossing's latest survey in the actor's
// scope: the latest day up to tomorrow, and of that day the last received.
func (db *DB) LatestSurveys(ctx context.Context) (map[string]outbound.Survey, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	out := map[string]outbound.Survey{}
	// A survey dated ahead of today (stored before days were bounded, or
	// under a wrong clock) is not the latest: it would stay so for good.
	last := outbound.DateOf(db.Now().UTC()).AddDays(1)
	err := eachRow(ctx, db, `SELECT `+surveyColumns+` FROM surveys ORDER BY day, received_at, id`, scanSurvey, func(s outbound.Survey) {
		if a.InScope(s.Crossing) && !last.Before(s.Day) {
			out[s.Crossing] = s // in order: the last one wins
		}
	})
	return out, err
}

// GapSites gathers what gap scoring needs of each crossing in the actor's
// scope: its border, its exits a day over the year before today (the
// exits report) and its latest survey.
func (db *DB) GapSites(ctx context.Context) ([]gaps.Site, error) {
	latest, err := db.LatestSurveys(ctx)
	if err != nil {
		return nil, err
	}
	today := outbound.DateOf(db.Now().UTC())
	exits, err := db.Report(ctx, "exits", outbound.ReportFilter{From: today.AddDays(-365), To: today.AddDays(-1)})
	if err != nil {
		return nil, err
	}
	var sites []gaps.Site
	for _, r := range exits.Rows {
		code, _ := r.Get(outbound.CrossingKey).(string)
		border, _ := r.Get(outbound.BorderKey).(string)
		n, _ := r.Get(outbound.Exits).(int64)
		s := gaps.Site{Crossing: code, Border: border, Exits: float64(n) / 365}
		if sv, ok := latest[code]; ok {
			s.Survey = &sv
		}
		sites = append(sites, s)
	}
	return sites, nil
}
