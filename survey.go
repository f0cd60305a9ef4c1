package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Survey is what one crossing has for outbound inspections, as seen on a
// day: lanes and inspection area, equipment, connectivity at the lane,
// power, and hazards to officers. A later survey of the crossing is a new
// record; the latest one counts.
//
// A survey made in error is voided by another record of the kind: one that
// names the survey it Voids and gives a Reason, and answers nothing. Both
// are kept; neither counts as the crossing's latest.
type Survey struct {
	ID            uuid.UUID   `json:"id"` // made by the client
	Crossing      string      `json:"crossing"`
	Day           Date        `json:"day"`
	OutboundLanes int         `json:"outbound_lanes"`
	SecondaryBays int         `json:"secondary_bays"` // vehicles that can be inspected off the lane at once
	Canopy        bool        `json:"canopy"`
	Lighting      bool        `json:"lighting"` // enough to inspect at night
	Barriers      bool        `json:"barriers"` // barriers or tire shredders against port runners
	SafePullOff   bool        `json:"safe_pull_off"`
	Equipment     []Equipment `json:"equipment"`
	WiFi          Signal      `json:"wifi"`
	Cellular      Signal      `json:"cellular"`
	Mbps          float64     `json:"mbps"` // measured throughput at the lane
	Power         Power       `json:"power"`
	Hazards       []string    `json:"hazards"` // officer safety hazards, in words
	Notes         string      `json:"notes"`
	// Voids and Reason are omitted when empty, so that the content hash
	// of every survey stored before voids existed stays as it was.
	Voids  *uuid.UUID `json:"voids,omitempty"`  // the survey this record voids
	Reason string     `json:"reason,omitempty"` // why it is voided

	ReceivedAt time.Time `json:"received_at"` // set by the server
	RecordedBy string    `json:"recorded_by"` // set by the server: who answered
}

// maxSurveyNotes bounds a survey's notes, in characters.
const maxSurveyNotes = 2000

// SurveyService keeps surveys: every one is kept, and a crossing's latest
// (by day, then by receipt) that is not voided is the one that counts.
type SurveyService interface {
	RecordSurveys(ctx context.Context, batch []Survey) ([]RecordResult[Survey], error)
	FindSurveys(ctx context.Context, f Filter) ([]Survey, string, error)
	// LatestSurvey returns the crossing's survey that counts: the latest
	// day up to tomorrow, of that day the last received, voids and voided
	// surveys aside. ENOTFOUND when there is none.
	LatestSurvey(ctx context.Context, crossing string) (Survey, error)
}

// Void returns the record that voids s, made on day for the reason given.
func (s Survey) Void(id uuid.UUID, day Date, reason string) Survey {
	voids := s.ID
	return Survey{ID: id, Crossing: s.Crossing, Day: day, Voids: &voids, Reason: reason}
}

// IsVoid reports whether the record voids another survey rather than
// answering one.
func (s *Survey) IsVoid() bool { return s.Voids != nil }

// ContentHash is a digest of what the client said.
func (s *Survey) ContentHash() string {
	c := *s
	c.ReceivedAt, c.RecordedBy = time.Time{}, ""
	return Digest(c)
}

// Equipment is a kind of equipment at the crossing's outbound lanes.
type Equipment struct {
	Type      EquipmentType `json:"type"`
	Count     int           `json:"count"`
	Condition Condition     `json:"condition"`
}

// EquipmentType is a kind of outbound inspection equipment.
type EquipmentType string

// Equipment types.
var EquipmentTypes = []EquipmentType{"nii_xray", "radiation_portal", "handheld_radiation", "plate_reader", "camera", "k9"}

// Condition is how well equipment works.
type Condition string

// Conditions, best first; out_of_service counts as none.
var Conditions = []Condition{"good", "fair", "poor", "out_of_service"}

// Signal is how well a network reaches the lane.
type Signal string

// Signals, none first.
var Signals = []Signal{"none", "poor", "fair", "good"}

// Power is the lane's electricity.
type Power string

// Powers: grid with a backup, grid only, generator only, none.
var Powers = []Power{"grid_backup", "grid", "generator", "none"}

// Working reports whether the condition counts the equipment as there.
func (c Condition) Working() bool { return c == "good" || c == "fair" || c == "poor" }

// Rank orders signals: none 0 to good 3, -1 when unknown.
func (s Signal) Rank() int { return slices.Index(Signals, s) }

// Validate reports the first problem with the survey, naming the field.
// now is the server's clock in the crossing's time zone: a survey dated
// ahead of it would stay the crossing's latest for good.
func (s *Survey) Validate(now time.Time) error {
	if err := checkDaily(s.ID, s.Crossing, s.Day, now); err != nil {
		return err
	}
	if err := checkText("notes", s.Notes, maxSurveyNotes, true); err != nil {
		return err
	}
	if err := checkText("reason", s.Reason, maxReason, true); err != nil {
		return err
	}
	if s.IsVoid() {
		return s.validateVoid()
	}
	switch {
	case s.Reason != "":
		return Errorf(EINVALID, "reason", "reason is only for a void, which names the survey it voids in voids")
	case s.OutboundLanes < 0 || s.OutboundLanes > 100:
		return Errorf(EINVALID, "outbound_lanes", "outbound_lanes must be 0 to 100")
	case s.SecondaryBays < 0 || s.SecondaryBays > 500:
		return Errorf(EINVALID, "secondary_bays", "secondary_bays must be 0 to 500")
	case s.WiFi.Rank() < 0:
		return Errorf(EINVALID, "wifi", "wifi %s is not %s", Shown(s.WiFi), oneOf(Signals))
	case s.Cellular.Rank() < 0:
		return Errorf(EINVALID, "cellular", "cellular %s is not %s", Shown(s.Cellular), oneOf(Signals))
	case math.IsNaN(s.Mbps) || s.Mbps < 0 || s.Mbps > 100_000:
		return Errorf(EINVALID, "mbps", "mbps must be 0 to 100000")
	case !slices.Contains(Powers, s.Power):
		return Errorf(EINVALID, "power", "power %s is not %s", Shown(s.Power), oneOf(Powers))
	case len(s.Equipment) > len(EquipmentTypes): // each type at most once
		return Errorf(EINVALID, "equipment", "at most %d kinds of equipment, each once; this lists %d", len(EquipmentTypes), len(s.Equipment))
	case len(s.Hazards) > MaxHazards:
		return checkCount("hazards", len(s.Hazards), MaxHazards, "hazards")
	}
	seen := map[EquipmentType]bool{}
	for i, e := range s.Equipment {
		field := fmt.Sprintf("equipment[%d]", i)
		switch {
		case !slices.Contains(EquipmentTypes, e.Type):
			return Errorf(EINVALID, field+".type", "type %s is not %s", Shown(e.Type), oneOf(EquipmentTypes))
		case seen[e.Type]:
			return Errorf(EINVALID, field+".type", "%s is listed twice; give its count once", e.Type)
		case e.Count < 1 || e.Count > 1000:
			return Errorf(EINVALID, field+".count", "count must be 1 to 1000")
		case !slices.Contains(Conditions, e.Condition):
			return Errorf(EINVALID, field+".condition", "condition %s is not %s", Shown(e.Condition), oneOf(Conditions))
		}
		seen[e.Type] = true
	}
	for i, h := range s.Hazards {
		if err := checkText(indexed("hazards", i), h, maxLabel, false); err != nil {
			return err
		}
		if strings.TrimSpace(h) == "" {
			return Errorf(EINVALID, indexed("hazards", i), "a hazard is 1 to %d characters", maxLabel)
		}
	}
	return nil
}

// MarshalJSON writes a void with only the fields a void has, and a
// survey as its fields are (so that the hash of every survey stored
// before voids existed stays as it was).
func (s Survey) MarshalJSON() ([]byte, error) {
	if !s.IsVoid() {
		type plain Survey // without this method
		return json.Marshal(plain(s))
	}
	return json.Marshal(struct {
		ID         uuid.UUID `json:"id"`
		Crossing   string    `json:"crossing"`
		Day        Date      `json:"day"`
		Voids      uuid.UUID `json:"voids"`
		Reason     string    `json:"reason"`
		ReceivedAt time.Time `json:"received_at"`
		RecordedBy string    `json:"recorded_by"`
	}{s.ID, s.Crossing, s.Day, *s.Voids, s.Reason, s.ReceivedAt, s.RecordedBy})
}

// validateVoid checks a void: it names another survey, says why, and
// answers nothing, so that it cannot be read as a survey.
func (s *Survey) validateVoid() error {
	switch {
	case *s.Voids == uuid.Nil || *s.Voids == s.ID:
		return Errorf(EINVALID, "voids", "voids names the id of another survey")
	case strings.TrimSpace(s.Reason) == "":
		return Errorf(EINVALID, "reason", "a void needs a reason")
	case !s.empty():
		return Errorf(EINVALID, "voids", "a void answers nothing: send only id, crossing, day, voids and reason")
	}
	return nil
}

// empty reports whether a survey's answers are all unset.
func (s *Survey) empty() bool {
	return s.OutboundLanes == 0 && s.SecondaryBays == 0 && !s.Canopy && !s.Lighting && !s.Barriers && !s.SafePullOff &&
		len(s.Equipment) == 0 && s.WiFi == "" && s.Cellular == "" && s.Mbps == 0 && s.Power == "" && len(s.Hazards) == 0 && s.Notes == ""
}

// Working counts the working equipment of a type.
func (s *Survey) Working(t EquipmentType) int {
	for _, e := range s.Equipment {
		if e.Type == t && e.Condition.Working() {
			return e.Count
		}
	}
	return 0
}
