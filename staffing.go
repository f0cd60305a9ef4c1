package outbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Staffing is the outbound duty of one crossing for one shift of one local
// day: officer hours planned, hours worked, and planned hours diverted to
// inbound work with the reason. There is one record per crossing, day and
// shift. A stored version never changes (an identical replay is
// harmless): an edit is a new version, with its own client-made ID, that
// names the version it Replaces and gives a Reason, as an inspection's
// edit does; reports count a shift once, as its latest version.
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
	// Replaces and Reason are omitted when empty, so that the content
	// hash of every record stored before edits existed stays as it was.
	Replaces *uuid.UUID `json:"replaces,omitempty"` // the version this one edits
	Reason   string     `json:"reason,omitempty"`   // why it was edited

	ReceivedAt time.Time `json:"received_at"`           // set by the server
	RecordedBy string    `json:"recorded_by,omitempty"` // set by the server: who recorded the version ("" before it was kept)
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
	// second first version for the same crossing, day and shift, or an
	// edit of a version that was already replaced, is a Conflict.
	RecordStaffing(ctx context.Context, batch []Staffing) ([]RecordResult[Staffing], error)
	// FindStaffing lists the latest versions by day, one page at a time.
	FindStaffing(ctx context.Context, f Filter) ([]Staffing, string, error)
}

// NextVersion returns the edit a person makes of version s: the same
// record under the new version id, naming s as the version it replaces,
// with the reason. The caller then corrects what the edit is for.
func (s Staffing) NextVersion(id uuid.UUID, reason string) Staffing {
	next := s
	prev := s.ID
	next.ID, next.Replaces, next.Reason = id, &prev, reason
	next.ReceivedAt, next.RecordedBy = time.Time{}, ""
	return next
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
	if err := checkText("reason", s.Reason, maxReason, true); err != nil {
		return err
	}
	switch {
	case s.Replaces != nil && strings.TrimSpace(s.Reason) == "":
		return Errorf(EINVALID, "reason", "an edit needs a reason")
	case s.Replaces == nil && s.Reason != "":
		return Errorf(EINVALID, "reason", "reason is only for an edit (set replaces)")
	case s.Replaces != nil && (*s.Replaces == s.ID || *s.Replaces == uuid.Nil):
		return Errorf(EINVALID, "replaces", "replaces names the id of another version of the shift's record")
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
		return Errorf(EINVALID, "notes", "diversion_reason %q needs notes saying what", DivertedOther)
	}
	return nil
}

func validHours(h float64) bool { return h >= 0 && h <= maxShiftHours }

func validReason(r DiversionReason) bool { return slices.Contains(DiversionReasons, r) }

// ContentHash is a digest of what the client said (see Inspection.ContentHash).
func (s *Staffing) ContentHash() string {
	c := *s
	c.ReceivedAt, c.RecordedBy = time.Time{}, ""
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

// Hours says a staffing record's hours for people: "16 h planned, 12
// worked, 4 diverted (inbound traffic)".
func (s *Staffing) Hours() string {
	out := fmt.Sprintf("%s h planned, %s worked, %s diverted", hours(s.HoursPlanned), hours(s.HoursWorked), hours(s.HoursDiverted))
	if s.DiversionReason != "" {
		out += " (" + strings.ReplaceAll(string(s.DiversionReason), "_", " ") + ")"
	}
	return out
}

func hours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }
