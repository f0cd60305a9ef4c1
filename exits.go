package outbound

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ExitCount is how many travellers or vehicles of one modality left the
// country through a crossing on one local day, measured or estimated. There
// is one count per crossing, day and modality.
type ExitCount struct {
	ID        uuid.UUID `json:"id"` // made by the client
	Crossing  string    `json:"crossing"`
	Day       Date      `json:"day"`
	Modality  Modality  `json:"modality"`
	Count     int64     `json:"count"`
	Estimated bool      `json:"estimated"` // false: counted (sensor, manual tally)
	Method    string    `json:"method"`    // how it was counted or estimated

	ReceivedAt time.Time `json:"received_at"` // set by the server
}

// ExitService stores and finds exit counts.
type ExitService interface {
	// RecordExits stores each valid count once, in one transaction. A
	// second count for the same crossing, day and modality is a Conflict.
	RecordExits(ctx context.Context, batch []ExitCount) ([]RecordResult[ExitCount], error)
	// FindExits lists counts by day, one page at a time.
	FindExits(ctx context.Context, f Filter) ([]ExitCount, string, error)
}

// Validate reports the first problem with the count, naming the field.
// now is the server's clock in the crossing's time zone.
func (e *ExitCount) Validate(now time.Time) error {
	if err := checkDaily(e.ID, e.Crossing, e.Day, now); err != nil {
		return err
	}
	if err := checkText("method", e.Method, maxReason, false); err != nil {
		return err
	}
	switch {
	case !e.Modality.Valid():
		return Errorf(EINVALID, "modality", "modality %s is not %s", Shown(e.Modality), oneOf(Modalities))
	case e.Count < 0 || e.Count > MaxDailyExits:
		return Errorf(EINVALID, "count", "count must be 0 to %d a day", MaxDailyExits)
	case e.Estimated && strings.TrimSpace(e.Method) == "":
		return Errorf(EINVALID, "method", "an estimated count needs the method it was estimated by")
	}
	return nil
}

// ContentHash is a digest of what the client said (see Inspection.ContentHash).
func (e *ExitCount) ContentHash() string {
	c := *e
	c.ReceivedAt = time.Time{}
	return Digest(c)
}
