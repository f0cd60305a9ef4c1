package outbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Inspection is one version of one outbound inspection at a crossing. A
// stored version is immutable: an edit is a new version, with its own
// client-made ID, that names the version it Replaces and gives a Reason; a
// void is an edit with Voided set.
type Inspection struct {
	ID          uuid.UUID   `json:"id"` // made by the client, offline
	Crossing    string      `json:"crossing"`
	StartedAt   time.Time   `json:"started_at"` // device clock
	EndedAt     time.Time   `json:"ended_at"`   // device clock
	Modality    Modality    `json:"modality"`
	Techniques  []Technique `json:"techniques"`
	Trigger     Trigger     `json:"trigger"`
	OperationID *string     `json:"operation_id"`
	Officers    []string    `json:"officers"` // badge ids
	Outcome     Outcome     `json:"outcome"`
	Seizures    []Seizure   `json:"seizures"`
	Notes       string      `json:"notes"`
	Replaces    *uuid.UUID  `json:"replaces,omitempty"` // the version this one edits
	Reason      string      `json:"reason,omitempty"`   // why it was edited or voided
	Voided      bool        `json:"voided,omitempty"`

	// Set by the server; ignored on input.
	OriginalID   uuid.UUID `json:"original_id"`   // ID of version 1: the inspection's identity
	Version      int       `json:"version"`       // 1 for the original record
	ReceivedAt   time.Time `json:"received_at"`   // server clock
	LocalDay     Date      `json:"local_day"`     // StartedAt's day at the crossing
	OfficerCount int       `json:"officer_count"` // len(Officers)
}

// Seizure is one kind of goods seized in an inspection.
type Seizure struct {
	Category Category `json:"category"`
	Quantity float64  `json:"quantity"`
	Unit     string   `json:"unit"`
	ValueUSD float64  `json:"value_usd"`
}

// Status is what recording one item did.
type Status string

// Statuses of a recorded item (DESIGN section 5).
const (
	Created  Status = "created"  // stored now
	Replayed Status = "replayed" // stored before with identical content
	Conflict Status = "conflict" // the id holds other content, or the edit is stale
	Invalid  Status = "invalid"  // rejected; nothing stored
)

// RecordResult is the outcome for one item of a batch, in the batch's order.
type RecordResult[T any] struct {
	ID     uuid.UUID
	Status Status
	Err    *Error // for Conflict and Invalid
	Record *T     // the stored record, for Created and Replayed
}

// Filter selects records by crossing and local day, one page at a time.
type Filter struct {
	Crossing string
	From, To Date   // inclusive local days at the crossing; zero means open
	Limit    int    // at most MaxPageSize; 0 means DefaultPageSize
	Cursor   string // from the previous page
}

// InspectionFilter selects current inspection versions.
type InspectionFilter struct {
	Filter
	IncludeVoided bool
	Modality      Modality // "" for any
	Outcome       Outcome  // "" for any
}

// Page sizes for lists.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// InspectionService stores and finds inspections.
type InspectionService interface {
	// RecordInspections stores each valid inspection once, in one
	// transaction, and answers per item in order. An identical replay is
	// Replayed; the same id with other content, or an edit of a version
	// that was already replaced, is a Conflict.
	RecordInspections(ctx context.Context, batch []Inspection) ([]RecordResult[Inspection], error)
	// FindInspections lists current versions, newest first, one page at a
	// time; the cursor is "" on the last page.
	FindInspections(ctx context.Context, f InspectionFilter) ([]Inspection, string, error)
	// FindInspection returns one version by its id, or ENOTFOUND.
	FindInspection(ctx context.Context, id uuid.UUID) (Inspection, error)
	// InspectionHistory returns every version of the inspection that
	// version id belongs to, the first first.
	InspectionHistory(ctx context.Context, id uuid.UUID) ([]Inspection, error)
}

// NextVersion returns the edit a person makes of version in: the same
// record under the new version id, naming in as the version it replaces,
// with the reason. The caller then corrects what the edit is for. A stored
// version never changes: an edit is a new version, stored beside it.
func (in Inspection) NextVersion(id uuid.UUID, reason string) Inspection {
	next := in.VersionAfter(in.ID, id, reason)
	next.Voided = false
	return next
}

// Void returns the version that voids in. A void keeps the record: every
// field of in stays, so the history shows what was voided and why, while
// reports count a voided inspection nowhere.
func (in Inspection) Void(id uuid.UUID, reason string) Inspection {
	next := in.NextVersion(id, reason)
	next.Voided = true
	return next
}

// VersionAfter returns what in says as version id, the one after version
// prev, for the reason given; Voided stays as in has it. It is how a record
// made elsewhere (a port node's version, applied to resolve a sync
// conflict) becomes the latest version of an inspection. The fields the
// server sets are cleared: storing the version numbers and stamps it.
func (in Inspection) VersionAfter(prev, id uuid.UUID, reason string) Inspection {
	next := in
	next.ID, next.Replaces, next.Reason = id, &prev, reason
	// The version shares nothing with in: changing one leaves the other.
	next.Techniques, next.Officers, next.Seizures = slices.Clone(in.Techniques), slices.Clone(in.Officers), slices.Clone(in.Seizures)
	if in.OperationID != nil {
		op := *in.OperationID
		next.OperationID = &op
	}
	next.OriginalID, next.Version, next.ReceivedAt, next.LocalDay, next.OfficerCount = uuid.Nil, 0, time.Time{}, Date{}, 0
	return next
}

// An officer takes back a record they have just made by voiding it with
// UndoReason: the form's Undo, for a tap on Record made by mistake. They
// need no supervisor for it, within limits that CheckUndo states.
const (
	// UndoReason is the reason every undo gives, so that the history says
	// the record was taken back at the lane, not voided on review.
	UndoReason = "undone at the lane"
	// UndoWindow is how long after a record's arrival its officer may
	// still undo it. The form offers Undo for a few seconds; the rest
	// allows for an undo that waited for the network.
	UndoWindow = 10 * time.Minute
)

// IsUndo reports whether in is an undo: a void that gives UndoReason.
func (in *Inspection) IsUndo() bool {
	return in.Voided && in.Replaces != nil && in.Reason == UndoReason
}

// CheckUndo reports why actor a, who may not void records, may not undo
// version prev with in; nil when they may. An officer undoes only a first
// version that lists their own badge (from their account), within
// UndoWindow of its arrival by the server's clock now, and only as a void
// that keeps every field of prev: an undo takes a record back, it does
// not correct it.
func (in *Inspection) CheckUndo(prev Inspection, a *Actor, now time.Time) error {
	switch {
	case a == nil || a.Badge == "":
		return Errorf(EFORBIDDEN, "replaces", "only an officer whose account has a badge may undo a record; ask a supervisor to void it")
	case prev.Replaces != nil:
		return Errorf(EFORBIDDEN, "replaces", "this record was already edited; ask a supervisor to void it")
	case !slices.Contains(prev.Officers, a.Badge):
		return Errorf(EFORBIDDEN, "replaces", "an officer may undo only a record that lists their own badge (%s); ask a supervisor to void it", a.Badge)
	case now.Sub(prev.ReceivedAt) > UndoWindow:
		return Errorf(EFORBIDDEN, "replaces", "a record may be undone within %g minutes of its arrival; ask a supervisor to void it", UndoWindow.Minutes())
	}
	want := prev.Void(in.ID, UndoReason)
	if !SameContent(in, &want) {
		return Errorf(EINVALID, "replaces", "an undo keeps every field of the record it takes back; to correct a record, ask a supervisor")
	}
	return nil
}

// CheckRecorder reports why actor a may not record in, a first version;
// nil when they may. An officer whose account has a badge records only
// inspections that list it: the badge comes from the account, so that no
// officer can put an inspection under colleagues' badges alone (where it
// would count as theirs in every figure per officer, and be theirs to
// undo). Others record for anyone: a supervisor enters a paper record, a
// port node forwards its officers' records, each checked at the node.
// Later versions are checked as edits, or by CheckUndo.
func (in *Inspection) CheckRecorder(a *Actor) error {
	if in.Replaces != nil || a == nil || a.Role != Officer || a.Badge == "" || slices.Contains(in.Officers, a.Badge) {
		return nil
	}
	return Errorf(EFORBIDDEN, "officers", "an officer records the inspections they take part in: list your own badge (%s) among the officers", a.Badge)
}

// Validate reports the first problem with the inspection as a client sent
// it, naming the field. now is the server's clock: a start more than a day
// ahead of it is a device clock that is badly wrong.
func (in *Inspection) Validate(now time.Time) error {
	switch {
	case in.ID == uuid.Nil:
		return Errorf(EINVALID, "id", "id is required: a UUID made by the client")
	case !codePattern.MatchString(in.Crossing):
		return Errorf(EINVALID, "crossing", "crossing %s is not a crossing code", Shown(in.Crossing))
	case in.StartedAt.IsZero():
		return Errorf(EINVALID, "started_at", "started_at is required")
	case in.StartedAt.Year() < EarliestYear:
		return Errorf(EINVALID, "started_at", "started_at %s is before %d", in.StartedAt.Format(time.RFC3339), EarliestYear)
	case in.StartedAt.After(now.Add(MaxClockAhead)):
		return Errorf(EINVALID, "started_at", "started_at %s is more than a day in the future", in.StartedAt.Format(time.RFC3339))
	case in.EndedAt.IsZero():
		return Errorf(EINVALID, "ended_at", "ended_at is required")
	case in.EndedAt.Before(in.StartedAt):
		return Errorf(EINVALID, "ended_at", "ended_at is before started_at")
	case in.EndedAt.Sub(in.StartedAt) > MaxInspectionLength:
		return Errorf(EINVALID, "ended_at", "an inspection lasts at most %g hours", MaxInspectionLength.Hours())
	case !in.Modality.Valid():
		return Errorf(EINVALID, "modality", "modality %s is not %s", Shown(in.Modality), oneOf(Modalities))
	case len(in.Techniques) == 0:
		return Errorf(EINVALID, "techniques", "at least one technique is required")
	case len(in.Techniques) > len(Techniques): // each at most once
		return Errorf(EINVALID, "techniques", "at most %d techniques, each once; this lists %d", len(Techniques), len(in.Techniques))
	case !in.Trigger.Valid():
		return Errorf(EINVALID, "trigger", "trigger %s is not %s", Shown(in.Trigger), oneOf(Triggers))
	case in.OperationID != nil && !codePattern.MatchString(*in.OperationID) && uuid.Validate(*in.OperationID) != nil:
		return Errorf(EINVALID, "operation_id", "operation_id %s is not an operation id", Shown(*in.OperationID))
	case len(in.Officers) == 0:
		return Errorf(EINVALID, "officers", "at least one officer's badge is required")
	case len(in.Officers) > MaxOfficers:
		return checkCount("officers", len(in.Officers), MaxOfficers, "officers' badges")
	case !in.Outcome.Valid():
		return Errorf(EINVALID, "outcome", "outcome %s is not %s", Shown(in.Outcome), oneOf(Outcomes))
	case in.Outcome == Seized && len(in.Seizures) == 0:
		return Errorf(EINVALID, "seizures", "outcome seizure needs at least one seizure")
	case in.Outcome == NoFinding && len(in.Seizures) > 0:
		return Errorf(EINVALID, "seizures", "outcome no_finding cannot list seizures")
	case len(in.Seizures) > MaxSeizures:
		return checkCount("seizures", len(in.Seizures), MaxSeizures, "seizures")
	}
	if err := checkText("notes", in.Notes, maxNotes, true); err != nil {
		return err
	}
	if err := checkText("reason", in.Reason, maxReason, true); err != nil {
		return err
	}
	switch {
	case in.Replaces != nil && strings.TrimSpace(in.Reason) == "":
		return Errorf(EINVALID, "reason", "an edit or void needs a reason")
	case in.Replaces == nil && in.Reason != "":
		return Errorf(EINVALID, "reason", "reason is only for an edit or void (set replaces)")
	case in.Voided && in.Replaces == nil:
		return Errorf(EINVALID, "voided", "a void replaces a version: set replaces")
	case in.Replaces != nil && *in.Replaces == in.ID:
		return Errorf(EINVALID, "replaces", "a version cannot replace itself")
	}
	for i, t := range in.Techniques {
		if !t.Valid() {
			return Errorf(EINVALID, indexed("techniques", i), "technique %s is not %s", Shown(t), oneOf(Techniques))
		}
		if slices.Contains(in.Techniques[:i], t) { // at most six: a map would cost more
			return Errorf(EINVALID, indexed("techniques", i), "technique %s is listed twice", Shown(t))
		}
	}
	// The list is bounded above, and a map keeps the check linear anyway.
	seen := make(map[string]bool, len(in.Officers))
	for i, b := range in.Officers {
		if !ValidBadge(b) {
			return badgeError(indexed("officers", i), b)
		}
		if seen[b] {
			return Errorf(EINVALID, indexed("officers", i), "badge %s is listed twice", Shown(b))
		}
		seen[b] = true
	}
	for i, s := range in.Seizures {
		if err := s.validate(); err != nil {
			err.Field = fmt.Sprintf("seizures[%d].%s", i, err.Field)
			return err
		}
	}
	return nil
}

func (s *Seizure) validate() *Error {
	switch {
	case !s.Category.Valid():
		return Errorf(EINVALID, "category", "category %s is not %s", Shown(s.Category), oneOf(Categories))
	case !(s.Quantity > 0) || s.Quantity > MaxSeizureQuantity:
		return Errorf(EINVALID, "quantity", "quantity must be more than 0 and at most %g", float64(MaxSeizureQuantity))
	}
	if err := checkText("unit", s.Unit, maxUnit, false); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(s.Unit) == "":
		return Errorf(EINVALID, "unit", "unit is required (at most %d characters), such as USD, each, rounds, kg", maxUnit)
	case !(s.ValueUSD > 0) || s.ValueUSD > MaxSeizureValueUSD:
		return Errorf(EINVALID, "value_usd", "value_usd must be more than 0 and at most %g (an estimate will do)", float64(MaxSeizureValueUSD))
	}
	return nil
}

// ContentHash is a digest of what the client said: every field but those the
// server sets, times as instants. Two submissions of one id are the same
// record exactly when their hashes are equal. It is written out field by
// field, not through JSON, because every recorded inspection is hashed; a
// test fails if a field is added to Inspection and not here.
func (in *Inspection) ContentHash() string {
	f := fields{}
	f.str(in.ID.String()).str(in.Crossing)
	f.str(in.StartedAt.UTC().Format(time.RFC3339Nano)).str(in.EndedAt.UTC().Format(time.RFC3339Nano))
	f.str(string(in.Modality)).num(len(in.Techniques))
	for _, t := range in.Techniques {
		f.str(string(t))
	}
	f.str(string(in.Trigger)).optional(in.OperationID != nil)
	if in.OperationID != nil {
		f.str(*in.OperationID)
	}
	f.num(len(in.Officers))
	for _, o := range in.Officers {
		f.str(o)
	}
	f.str(string(in.Outcome)).num(len(in.Seizures))
	for _, z := range in.Seizures {
		f.str(string(z.Category)).float(z.Quantity).str(z.Unit).float(z.ValueUSD)
	}
	f.str(in.Notes).optional(in.Replaces != nil)
	if in.Replaces != nil {
		f.str(in.Replaces.String())
	}
	f.str(in.Reason).optional(in.Voided)
	sum := sha256.Sum256(f)
	return hex.EncodeToString(sum[:])
}

// fields encodes values length-prefixed, so that no two lists of values
// encode alike.
type fields []byte

func (f *fields) str(s string) *fields {
	*f = strconv.AppendInt(*f, int64(len(s)), 10)
	*f = append(append(*f, ':'), s...)
	return f
}

func (f *fields) num(n int) *fields { return f.str(strconv.Itoa(n)) }

func (f *fields) float(x float64) *fields { return f.str(strconv.FormatFloat(x, 'g', -1, 64)) }

func (f *fields) optional(present bool) *fields {
	if present {
		return f.str("1")
	}
	return f.str("0")
}

// orderFreeHash is the content hash with techniques and officers sorted:
// both are sets (who took part, what was done), whatever order a device
// listed them in. Seizures keep their order: each is a line of its own.
func (in *Inspection) orderFreeHash() string {
	c := *in
	c.Techniques, c.Officers = slices.Clone(in.Techniques), slices.Clone(in.Officers)
	slices.Sort(c.Techniques)
	slices.Sort(c.Officers)
	return c.ContentHash()
}
