package outbound

// InspectionRules is what Inspection.Validate checks, as data: the
// vocabularies, counts, bounds, text limits, patterns and the date window.
// The officer's form checks a record with this table before keeping it on
// the phone, where a record the server would refuse would wait offline
// only to be refused. web serves it as static/rules.json, written from
// this value and compared with it by a test, so that the phone and the
// server read one table (docs/decisions.md, "One rule table").
type InspectionRules struct {
	Modalities []Modality  `json:"modalities"`
	Techniques []Technique `json:"techniques"` // each at most once
	Triggers   []Trigger   `json:"triggers"`
	Outcomes   []Outcome   `json:"outcomes"`
	Categories []Category  `json:"categories"`
	// SeizureOutcome needs at least one seizure; NoFindingOutcome lists none.
	SeizureOutcome   Outcome `json:"seizure_outcome"`
	NoFindingOutcome Outcome `json:"no_finding_outcome"`

	// CrossingPattern is the form of a crossing code, and of an operation
	// id that is not a UUID.
	CrossingPattern string     `json:"crossing_pattern"`
	Badge           BadgeRules `json:"badge"`

	MaxOfficers        int     `json:"max_officers"`
	MaxSeizures        int     `json:"max_seizures"`
	MaxSeizureQuantity float64 `json:"max_seizure_quantity"`
	MaxSeizureValueUSD float64 `json:"max_seizure_value_usd"`
	// Text limits, in characters (code points). Notes and reasons may hold
	// tabs and line breaks; no text holds another control character.
	MaxNotes  int `json:"max_notes"`
	MaxReason int `json:"max_reason"`
	MaxUnit   int `json:"max_unit"`

	// The date window: a start in EarliestYear or later, at most
	// MaxClockAheadHours ahead of the clock, an end no earlier than the
	// start and at most MaxLengthHours after it.
	EarliestYear       int     `json:"earliest_year"`
	MaxClockAheadHours float64 `json:"max_clock_ahead_hours"`
	MaxLengthHours     float64 `json:"max_length_hours"`

	// UndoReason is the reason of a void an officer makes of their own
	// record, within UndoWindowMinutes of its arrival.
	UndoReason        string  `json:"undo_reason"`
	UndoWindowMinutes float64 `json:"undo_window_minutes"`
}

// BadgeRules is how a badge is read and checked: BadgePattern,
// BadgeSeparators and BadgeRule.
type BadgeRules struct {
	Pattern    string `json:"pattern"`
	Separators string `json:"separators"`
	Rule       string `json:"rule"`
}

// Rules returns the rules Inspection.Validate applies, from the constants
// it applies them with.
func Rules() InspectionRules {
	return InspectionRules{
		Modalities: Modalities, Techniques: Techniques, Triggers: Triggers, Outcomes: Outcomes, Categories: Categories,
		SeizureOutcome: Seized, NoFindingOutcome: NoFinding,
		CrossingPattern: CodePattern,
		Badge:           BadgeRules{Pattern: BadgePattern, Separators: BadgeSeparators, Rule: BadgeRule},
		MaxOfficers:     MaxOfficers, MaxSeizures: MaxSeizures,
		MaxSeizureQuantity: MaxSeizureQuantity, MaxSeizureValueUSD: MaxSeizureValueUSD,
		MaxNotes: maxNotes, MaxReason: maxReason, MaxUnit: maxUnit,
		EarliestYear: EarliestYear, MaxClockAheadHours: MaxClockAhead.Hours(), MaxLengthHours: MaxInspectionLength.Hours(),
		UndoReason: UndoReason, UndoWindowMinutes: UndoWindow.Minutes(),
	}
}
