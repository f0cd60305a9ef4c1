package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	textID: true,
	table:  "surveys", columns: surveyColumns, scan: scanSurvey,
	actions: []string{"survey.create"},
	permit:  func(*outbound.Survey) outbound.Action { return outbound.WriteSurvey },
	digest:  surveyDigest,
	prepare: prepareSurvey,
	taken: func(ctx context.Context, tx *txn, s *outbound.Survey) (*outbound.Error, error) {
		if !s.IsVoid() {
			return nil, fmt.Errorf("survey %s collides on no key but its id", s.ID)
		}
		e, err := takenBy(tx.queryRow(ctx, `SELECT id FROM surveys WHERE voids = ?`, s.Voids.String()), "a void of survey "+s.Voids.String())
		if e != nil {
			e.Field = "voids"
		}
		return e, err
	},
	// A void goes after the surveys of its batch, one of which it may name.
	after: (*outbound.Survey).IsVoid,
	insert: func(ctx context.Context, tx *txn, s *outbound.Survey, hash string) (bool, error) {
		answers, err := json.Marshal(s)
		if err != nil {
			return false, err
		}
		var voids *string
		if s.IsVoid() {
			v := s.Voids.String()
			voids = &v
		}
		return inserted(tx.exec(ctx, `INSERT INTO surveys (`+surveyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.ID.String(), s.Crossing, s.Day.String(), string(answers), ts(s.ReceivedAt), s.RecordedBy, hash, voids))
	},
}

// prepareSurvey sets the server's fields, and holds a void to the survey
// it names: stored, of the same crossing, and not itself a void. That a
// survey is voided once is the unique index's to say.
func prepareSurvey(ctx context.Context, tx *txn, s *outbound.Survey, _ *time.Location, now time.Time) error {
	s.ReceivedAt, s.RecordedBy = now, outbound.ActorFrom(ctx).Name
	if !s.IsVoid() {
		return nil
	}
	var crossing string
	var voids sql.NullString
	err := tx.queryRow(ctx, `SELECT crossing, voids FROM surveys WHERE id = ?`, s.Voids.String()).Scan(&crossing, &voids)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return outbound.Errorf(outbound.EINVALID, "voids", "survey %s is not stored, so it cannot be voided", s.Voids)
	case err != nil:
		return fmt.Errorf("survey to void: %w", err)
	case crossing != s.Crossing:
		return outbound.Errorf(outbound.EINVALID, "voids", "survey %s is of crossing %s, not %s", s.Voids, crossing, s.Crossing)
	case voids.Valid:
		return outbound.Errorf(outbound.EINVALID, "voids", "%s is a void, not a survey: a void cannot be voided", s.Voids)
	}
	return nil
}

// surveyDigest is what the audit log keeps of a stored survey.
func surveyDigest(s *outbound.Survey, hash string) string {
	return outbound.RecordDigest(hash, ts(s.ReceivedAt), s.RecordedBy)
}

const (
	surveyColumns    = `id, crossing, day, answers, received_at, recorded_by, content_hash, voids`
	surveyRowColumns = `s.id, s.crossing, s.day, s.answers, s.received_at, s.recorded_by, s.content_hash, s.voids` // of surveys s
)

func scanSurvey(sc scanner) (outbound.Survey, string, error) {
	var s outbound.Survey
	var id, crossing, day, answers, by, hash string
	var voids sql.NullString
	var at time.Time
	if err := sc.Scan(&id, &crossing, &day, &answers, dbTime{&at}, &by, &hash, &voids); err != nil {
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
	s.Voids = nil
	if voids.Valid {
		v, err := uuid.Parse(voids.String)
		if err != nil {
			return s, "", fmt.Errorf("stored survey %s voids %q: %w", id, voids.String, err)
		}
		s.Voids = &v
	}
	s.Crossing, s.ReceivedAt, s.RecordedBy = crossing, at, by
	return s, hash, nil
}

// FindSurveys lists surveys, newest day first.
func (db *DB) FindSurveys(ctx context.Context, f outbound.Filter) ([]outbound.Survey, string, error) {
	return findDaily(ctx, db, f, surveyStore, func(s *outbound.Survey) outbound.Date { return s.Day })
}

// counted is the condition on a survey row s that it may count as its
// crossing's latest: it is no void, nothing voids it, and it is dated no
// later than the parameter (tomorrow: a survey dated ahead of today,
// stored before days were bounded or under a wrong clock, would stay the
// latest for good).
const counted = `s.voids IS NULL AND s.day <= ? AND NOT EXISTS (SELECT 1 FROM surveys v WHERE v.voids = s.id)`

// latestFirst orders a crossing's surveys, the one that counts first.
const latestFirst = ` ORDER BY s.day DESC, s.received_at DESC, s.id DESC`

// LatestSurvey returns the crossing's survey that counts.
func (db *DB) LatestSurvey(ctx context.Context, crossing string) (outbound.Survey, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, crossing); err != nil {
		return outbound.Survey{}, err
	}
	last := outbound.DateOf(db.Now().UTC()).AddDays(1)
	var found []outbound.Survey
	err := eachRow(ctx, db, `SELECT `+surveyRowColumns+` FROM surveys s WHERE s.crossing = ? AND `+counted+latestFirst+` LIMIT 1`,
		scanSurvey, func(s outbound.Survey) { found = append(found, s) }, crossing, last.String())
	if err != nil {
		return outbound.Survey{}, err
	}
	if len(found) == 0 {
		return outbound.Survey{}, outbound.Errorf(outbound.ENOTFOUND, "crossing", "crossing %s has no survey that counts", crossing)
	}
	return found[0], nil
}

// LatestSurveys returns the survey that counts of each crossing in the
// actor's scope.
func (db *DB) LatestSurveys(ctx context.Context) (map[string]outbound.Survey, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	a := outbound.ActorFrom(ctx)
	out := map[string]outbound.Survey{}
	last := outbound.DateOf(db.Now().UTC()).AddDays(1)
	err := eachRow(ctx, db, `SELECT `+surveyRowColumns+` FROM surveys s WHERE `+counted+latestFirst, scanSurvey, func(s outbound.Survey) {
		if _, seen := out[s.Crossing]; !seen && a.InScope(s.Crossing) {
			out[s.Crossing] = s // the first of each crossing counts
		}
	}, last.String())
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
