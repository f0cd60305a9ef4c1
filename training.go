package outbound

import (
	"context"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// TrainingRecord is an officer's completion of a course, such as the
// rail-outbound course a policy requires before an officer inspects rail.
type TrainingRecord struct {
	ID          uuid.UUID `json:"id"` // made by the client
	Badge       string    `json:"badge"`
	Course      string    `json:"course"`
	CompletedOn Date      `json:"completed_on"`
	ExpiresOn   Date      `json:"expires_on"` // zero: does not expire

	ReceivedAt time.Time `json:"received_at"` // set by the server
}

// TrainingService stores officers' training.
type TrainingService interface {
	// RecordTraining stores each valid record once; a second record of
	// the same badge, course and completion day is a Conflict.
	RecordTraining(ctx context.Context, batch []TrainingRecord) ([]RecordResult[TrainingRecord], error)
}

var coursePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// Validate reports the first problem with the record, naming the field.
// Training belongs to no crossing: now is the server's clock as the
// caller has it (UTC when recorded), and completed_on may be at most a
// day after its date.
func (t *TrainingRecord) Validate(now time.Time) error {
	switch {
	case t.ID == uuid.Nil:
		return Errorf(EINVALID, "id", "id is required: a UUID made by the client")
	case !ValidBadge(t.Badge):
		return badgeError("badge", t.Badge)
	case !ValidCourse(t.Course):
		return Errorf(EINVALID, "course", "course %s must be 1 to 40 lower-case letters, digits, dots, dashes or underscores", Shown(t.Course))
	}
	if err := checkDay("completed_on", t.CompletedOn, now); err != nil {
		return err
	}
	switch {
	case !t.ExpiresOn.IsZero() && !t.CompletedOn.Before(t.ExpiresOn):
		return Errorf(EINVALID, "expires_on", "expires_on must be after completed_on")
	case !t.ExpiresOn.IsZero() && t.ExpiresOn.Year > maxExpiryYear:
		return Errorf(EINVALID, "expires_on", "expires_on %s is after %d; leave it empty for training that does not expire", t.ExpiresOn, maxExpiryYear)
	}
	return nil
}

// maxExpiryYear bounds an expiry date, which may lie years ahead: a later
// year is a typo, and "never" is an empty expires_on.
const maxExpiryYear = 2100

// ValidCourse reports whether a course id is well formed.
func ValidCourse(id string) bool { return coursePattern.MatchString(id) }

// ValidOn reports whether the training counts on day.
func (t *TrainingRecord) ValidOn(day Date) bool {
	return !day.Before(t.CompletedOn) && (t.ExpiresOn.IsZero() || day.Before(t.ExpiresOn))
}

// ContentHash is a digest of what the client said (see Inspection.ContentHash).
func (t *TrainingRecord) ContentHash() string {
	c := *t
	c.ReceivedAt = time.Time{}
	return Digest(c)
}
