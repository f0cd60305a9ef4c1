package outbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Staffing is the outbound duty of one crossing for one shift of one local
// day: officer hours planned, hours worked, and planned hours diverted to
// inbound work with the reason. There is one record per crossing, day and
// shift; it is written once (an identical replay is harmless).
type Staffing struct {
	ID              uuid.UUID       `json:"id"` // made by the client
	Crossing        string          `json:"crossing"`
	Day             Date            `json:"day"` // local day at the crossing
	Shift           Shift           `json:"shift"`
	HoursPlanned    float64         `json:"hours_planned"`
	HoursWorked     float64         `json:"hours_worked"`
	HoursDiverted   float64         `json:"hours_diverted"`
	DiversionReason DiversionReason `json:"diversion_reason"` // required when hours were diverted
	Notes           string          `json:"notes"`

	ReceivedAt time.Time `json:"received_at"` // set by the server
}

// DiversionReason says why planned outbound hours went to inbound work.
type DiversionReason string

// Diversion reasons; "" when nothing was diverted.
const (
	DivertedInboundTraffic DiversionReason = "inbound_traffic"    // mandated inbound volume
	DivertedStaffShortage  DiversionReason = "staff_shortage"     // absences, vacancies
	DivertedEnforcement    DiversionReason = "enforcement_action" // an inbound seizure or arrest in progress
	DivertedSpecialEvent   DiversionReason = "special_event"
	DivertedTraining       DiversionReason = "training"
	DivertedOther          DiversionReason = "other" // say what in notes
)

// DiversionReasons lists every diversion reason.
var DiversionReasons = []DiversionReason{DivertedInboundTraffic, DivertedStaffShortage,
	DivertedEnforcement, DivertedSpecialEvent, DivertedTraining, DivertedOther}

// maxShiftHours bounds the officer hours of one shift at one crossing: 100
// officers for 8 hours, far above any real crossing.
const maxShiftHours = 800

// StaffingService stores and finds staffing records.
type StaffingService interface {
	// RecordStaffing stores each valid record once, in one transaction. A
	// second record for the same crossing, day and shift is a Conflict.
	RecordStaffing(ctx context.Context, batch []Staffing) ([]RecordResult[Staffing], error)
	// FindStaffing lists records by day, one page at a time.
	FindStaffing(ctx context.Context, f Filter) ([]Staffing, string, error)
}

// checkDaily checks what every daily record of a crossing has: a
// client-made id, a crossing code and a day in the window of checkDay
// (now is in the crossing's time zone).
func checkDaily(id uuid.UUID, crossing string, day Date, now time.Time) error {
	switch {
	case id == uuid.Nil:
		return Errorf(EINVALID, "id", "id is required: a UUID made by the client")
	case !codePattern.MatchString(crossing):
		return Errorf(EINVALID, "crossing", "crossing %s is not a crossing code", Shown(crossing))
	}
	if err := checkDay("day", day, now); err != nil {
		return err
	}
	return nil
}

// Validate reports the first problem with the record, naming the field.
// now is the server's clock in the crossing's time zone.
func (s *Staffing) Validate(now time.Time) error {
	if err := checkDaily(s.ID, s.Crossing, s.Day, now); err != nil {
		return err
	}
	if err := checkText("notes", s.Notes, maxNotes, true); err != nil {
		return err
	}
	switch {
	case !s.Shift.Valid():
		return Errorf(EINVALID, "shift", "shift %s is not %s", Shown(s.Shift), oneOf(Shifts))
	case !validHours(s.HoursPlanned):
		return Errorf(EINVALID, "hours_planned", "hours_planned must be 0 to %d", maxShiftHours)
	case !validHours(s.HoursWorked):
		return Errorf(EINVALID, "hours_worked", "hours_worked must be 0 to %d", maxShiftHours)
	case !validHours(s.HoursDiverted):
		return Errorf(EINVALID, "hours_diverted", "hours_diverted must be 0 to %d", maxShiftHours)
	case s.HoursDiverted > s.HoursPlanned:
		return Errorf(EINVALID, "hours_diverted", "hours_diverted (%g) is more than hours_planned (%g)", s.HoursDiverted, s.HoursPlanned)
	case s.HoursDiverted > 0 && s.DiversionReason == "":
		return Errorf(EINVALID, "diversion_reason", "diverted hours need a diversion_reason: %s", oneOf(DiversionReasons))
	case s.DiversionReason != "" && !validReason(s.DiversionReason):
		return Errorf(EINVALID, "diversion_reason", "diversion_reason %s is not %s", Shown(s.DiversionReason), oneOf(DiversionReasons))
	case s.DiversionReason == DivertedOther && strings.TrimSpace(s.Notes) == "":
		return Errorf(EINVALID, "notes", "diversion_reason other needs notes saying what")
	}
	return nil
}

func validHours(h float64) bool { return h >= 0 && h <= maxShiftHours }

func validReason(r DiversionReason) bool { return slices.Contains(DiversionReasons, r) }

// ContentHash is a digest of what the client said (see Inspection.ContentHash).
func (s *Staffing) ContentHash() string {
	c := *s
	c.ReceivedAt = time.Time{}
	return Digest(c)
}

// Digest is the SHA-256 of v's JSON, in hex: the content hash of a
// record, and the digest the audit log keeps of each record it covers.
func Digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only domain types with marshalable fields come here
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
