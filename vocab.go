package outbound

import (
	"slices"
	"time"
)

// The vocabularies below are part of the API contract (DESIGN section 5):
// their string values never change meaning.

// Border is the land border a crossing is on.
type Border string

// Borders.
const (
	Southwest Border = "southwest" // with Mexico
	Northern  Border = "northern"  // with Canada
)

// Borders lists every border.
var Borders = []Border{Southwest, Northern}

// Modality is the kind of traffic an inspection looked at.
type Modality string

// Modalities.
const (
	PersonalVehicle Modality = "personal_vehicle"
	Truck           Modality = "truck"
	Bus             Modality = "bus"
	Pedestrian      Modality = "pedestrian"
	Rail            Modality = "rail"
)

// Modalities lists every modality in display order.
var Modalities = []Modality{PersonalVehicle, Truck, Bus, Pedestrian, Rail}

// Technique is a way of inspecting.
type Technique string

// Techniques.
const (
	Interview Technique = "interview"
	Visual    Technique = "visual"
	Physical  Technique = "physical"
	NIIXray   Technique = "nii_xray"
	K9        Technique = "k9"
	Radiation Technique = "radiation"
)

// Techniques lists every technique in display order.
var Techniques = []Technique{Interview, Visual, Physical, NIIXray, K9, Radiation}

// Trigger is why an inspection happened.
type Trigger string

// Triggers.
const (
	Routine         Trigger = "routine"
	RandomSelection Trigger = "random_selection"
	PulseSurge      Trigger = "pulse_surge"
	Intelligence    Trigger = "intelligence"
	PeakTraffic     Trigger = "peak_traffic"
	NIIAnomaly      Trigger = "nii_anomaly"
)

// Triggers lists every trigger in display order.
var Triggers = []Trigger{Routine, RandomSelection, PulseSurge, Intelligence, PeakTraffic, NIIAnomaly}

// Outcome is what an inspection ended with.
type Outcome string

// Outcomes.
const (
	NoFinding Outcome = "no_finding"
	Seized    Outcome = "seizure"
	Arrest    Outcome = "arrest"
	Referral  Outcome = "referral"
)

// Outcomes lists every outcome in display order.
var Outcomes = []Outcome{NoFinding, Seized, Arrest, Referral}

// Category is the kind of goods seized.
type Category string

// Seizure categories.
const (
	Currency   Category = "currency"
	Firearms   Category = "firearms"
	Ammunition Category = "ammunition"
	Explosives Category = "explosives"
	Narcotics  Category = "narcotics"
	Other      Category = "other"
)

// Categories lists every seizure category in display order.
var Categories = []Category{Currency, Firearms, Ammunition, Explosives, Narcotics, Other}

// Shift is one of the three daily shifts staffing is recorded for.
type Shift string

// Shifts, in local time at the crossing.
const (
	DayShift   Shift = "day"   // 06:00-14:00
	SwingShift Shift = "swing" // 14:00-22:00
	NightShift Shift = "night" // 22:00-06:00
)

// Shifts lists every shift in the order of the day.
var Shifts = []Shift{DayShift, SwingShift, NightShift}

// The hours, local time, each shift starts at; a shift ends when the next
// one starts, so the night shift runs past midnight.
const (
	dayShiftStarts   = 6
	swingShiftStarts = 14
	nightShiftStarts = 22
)

// ShiftOf returns the shift t falls in, read on t's own clock: pass the
// crossing's local time (t.In(loc)), since a shift is local to the crossing.
// Rollups, reports and staffing all count shifts by this one rule.
func ShiftOf(t time.Time) Shift {
	switch h := t.Hour(); {
	case h >= dayShiftStarts && h < swingShiftStarts:
		return DayShift
	case h >= swingShiftStarts && h < nightShiftStarts:
		return SwingShift
	}
	return NightShift
}

// Valid reports whether b is a known border.
func (b Border) Valid() bool { return slices.Contains(Borders, b) }

// Valid reports whether m is a known modality.
func (m Modality) Valid() bool { return slices.Contains(Modalities, m) }

// Valid reports whether t is a known technique.
func (t Technique) Valid() bool { return slices.Contains(Techniques, t) }

// Valid reports whether t is a known trigger.
func (t Trigger) Valid() bool { return slices.Contains(Triggers, t) }

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Valid reports whether c is a known seizure category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Valid reports whether s is a known shift.
func (s Shift) Valid() bool { return slices.Contains(Shifts, s) }

// oneOf formats a vocabulary for an error message: "a, b or c".
func oneOf[T ~string](vs []T) string {
	s := ""
	for i, v := range vs {
		switch {
		case i == 0:
		case i == len(vs)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(v)
	}
	return s
}

// ParseBorder reads a border filter: "" for any border, else one of
// Borders. The CLI, the API and the pages all read filters through these
// Parse functions, so a mistake gets one message that names the field.
func ParseBorder(s string) (Border, error) { return parseWord("border", s, Borders) }

// ParseModality reads a modality filter: "" for any, else one of
// Modalities.
func ParseModality(s string) (Modality, error) { return parseWord("modality", s, Modalities) }

// ParseOutcome reads an outcome filter: "" for any, else one of Outcomes.
func ParseOutcome(s string) (Outcome, error) { return parseWord("outcome", s, Outcomes) }

func parseWord[T ~string](field, s string, words []T) (T, error) {
	if s != "" && !slices.Contains(words, T(s)) {
		return "", Errorf(EINVALID, field, "%s %s is not %s", field, Shown(s), oneOf(words))
	}
	return T(s), nil
}
