package outbound

import (
	"context"
	"math"
	"time"

	"github.com/google/uuid"
)

// LaneDecision is whether one vehicle (or person) leaving through an
// outbound lane is inspected: drawn by the server at the probability the
// policy in force sets, and kept with the draw, so that anyone can check
// that Inspect is Draw < Probability and that the rate was the rule's.
type LaneDecision struct {
	ID          uuid.UUID `json:"id"` // made by the client, for idempotency
	Crossing    string    `json:"crossing"`
	Lane        string    `json:"lane"`
	Modality    Modality  `json:"modality"`
	Score       float64   `json:"score"` // the officer's or a system's risk score, 1 for an ordinary vehicle
	Day         Date      `json:"day"`   // the crossing's local day
	Rule        string    `json:"rule"`  // the policy rule that set the rate: document/rule
	Probability float64   `json:"probability"`
	Draw        float64   `json:"draw"` // uniform in [0, 1), from crypto/rand
	Inspect     bool      `json:"inspect"`
	DecidedAt   time.Time `json:"decided_at"` // the deciding server's clock
	DecidedBy   string    `json:"decided_by"`
}

// LaneRequest asks for a decision about one vehicle.
type LaneRequest struct {
	ID       uuid.UUID `json:"id"`
	Crossing string    `json:"crossing"`
	Lane     string    `json:"lane"`
	Modality Modality  `json:"modality"`
	Score    *float64  `json:"score,omitempty"` // absent: 1
}

// LaneService decides at lanes and keeps the decisions.
type LaneService interface {
	// DecideLane draws a decision, or answers the one already made for
	// the request's id (Replayed).
	DecideLane(ctx context.Context, req LaneRequest) (RecordResult[LaneDecision], error)
	// RecordLaneDecisions stores decisions a port node made, once each.
	RecordLaneDecisions(ctx context.Context, batch []LaneDecision) ([]RecordResult[LaneDecision], error)
	// FindLaneDecisions lists decisions by day, one page at a time.
	FindLaneDecisions(ctx context.Context, f Filter) ([]LaneDecision, string, error)
}

// Validate checks a request.
func (r *LaneRequest) Validate() error {
	switch {
	case r.ID == uuid.Nil:
		return Errorf(EINVALID, "id", "id is required: a UUID made by the client")
	case !codePattern.MatchString(r.Crossing):
		return Errorf(EINVALID, "crossing", "crossing %s is not a crossing code", Shown(r.Crossing))
	case !codePattern.MatchString(r.Lane):
		return Errorf(EINVALID, "lane", "lane %s is not a lane name (letters, digits and dashes, up to 16)", Shown(r.Lane))
	case !r.Modality.Valid():
		return Errorf(EINVALID, "modality", "modality %s is not %s", Shown(r.Modality), oneOf(Modalities))
	case r.Score != nil && (math.IsNaN(*r.Score) || *r.Score < 0 || *r.Score > 100):
		return Errorf(EINVALID, "score", "score must be 0 to 100 (1 is an ordinary vehicle)")
	}
	return nil
}

// Validate checks a decision as a port node sends it: the draw must
// decide it. now is the server's clock in the crossing's time zone.
func (d *LaneDecision) Validate(now time.Time) error {
	score := d.Score
	req := LaneRequest{ID: d.ID, Crossing: d.Crossing, Lane: d.Lane, Modality: d.Modality, Score: &score}
	if err := req.Validate(); err != nil {
		return err
	}
	if err := checkDay("day", d.Day, now); err != nil {
		return err
	}
	if err := checkText("rule", d.Rule, maxLabel, false); err != nil {
		return err
	}
	if err := checkText("decided_by", d.DecidedBy, maxLabel, false); err != nil {
		return err
	}
	switch {
	case d.Rule == "":
		return Errorf(EINVALID, "rule", "the rule that set the rate is required")
	case !(d.Probability >= 0 && d.Probability <= 1):
		return Errorf(EINVALID, "probability", "probability must be 0 to 1")
	case !(d.Draw >= 0 && d.Draw < 1):
		return Errorf(EINVALID, "draw", "draw must be in [0, 1)")
	case d.Inspect != (d.Draw < d.Probability):
		return Errorf(EINVALID, "inspect", "inspect must be draw < probability: %v with draw %g and probability %g", d.Inspect, d.Draw, d.Probability)
	case d.DecidedAt.IsZero() || d.DecidedBy == "":
		return Errorf(EINVALID, "decided_at", "decided_at and decided_by are required")
	}
	return nil
}

// ContentHash is a digest of the whole decision: every field is made by
// the deciding server.
func (d *LaneDecision) ContentHash() string {
	c := *d
	c.DecidedAt = c.DecidedAt.UTC()
	return Digest(c)
}
