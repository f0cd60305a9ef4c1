package outbound

import (
	"time"

	"github.com/google/uuid"
)

// Record is a record a client makes, offline if need be: inspections,
// staffing, exit counts, surveys, lane decisions, funding entries and
// training records. Each carries an id its client made, so that a retry
// is a replay; belongs to a crossing (or to none); validates itself against
// a clock; and hashes what the client said, so that a replay can be told
// from a conflict and the audit log can tell an altered row.
//
// Storage, sync, the API and the importers work on every kind through this
// interface and its Kind, so a new kind is defined here once and every
// path takes it (tests check that none forgets one).
type Record interface {
	// RecordKind is the kind of record this is.
	RecordKind() Kind
	// RecordID is the id the client made.
	RecordID() uuid.UUID
	// RecordCrossing is the crossing the record belongs to, "" for none.
	RecordCrossing() string
	// Validate reports the first problem with the record as the client
	// sent it, naming the field; now is the server's clock.
	Validate(now time.Time) error
	// ContentHash is the SHA-256 of what the client said, in hex.
	ContentHash() string
}

// RecordOf is a pointer to a record type: generic code holds []T and calls
// Record's methods on &t.
type RecordOf[T any] interface {
	*T
	Record
}

// Kind describes one kind of client-made record for every path that
// handles records generically.
type Kind struct {
	// Name names the kind in audit subjects ("inspection:<id>"), the sync
	// queue, sync conflicts and the ingest metric's label.
	Name string
	// Plural is how a person calls several, in messages ("exit counts").
	Plural string
	// Path is the API collection that takes batches of the kind; "" if the
	// kind has no API (it is imported from files only).
	Path string
	// FromNodes says that port nodes record the kind and push it to
	// headquarters.
	FromNodes bool
}

// The kinds of client-made records.
var (
	InspectionKind = Kind{Name: "inspection", Plural: "inspections", Path: "/api/v1/inspections", FromNodes: true}
	StaffingKind   = Kind{Name: "staffing", Plural: "staffing records", Path: "/api/v1/staffing", FromNodes: true}
	ExitKind       = Kind{Name: "exit", Plural: "exit counts", Path: "/api/v1/exits", FromNodes: true}
	SurveyKind     = Kind{Name: "survey", Plural: "surveys", Path: "/api/v1/surveys", FromNodes: true}
	LaneKind       = Kind{Name: "lane", Plural: "lane decisions", Path: "/api/v1/lane-decisions", FromNodes: true}
	FundingKind    = Kind{Name: "funding", Plural: "funding entries", Path: "/api/v1/funding"}
	TrainingKind   = Kind{Name: "training", Plural: "training records"}
)

// Kinds lists every kind of client-made record, in the order a node pushes
// one page of its queue.
var Kinds = []Kind{InspectionKind, StaffingKind, ExitKind, LaneKind, SurveyKind, FundingKind, TrainingKind}

// KindNamed returns the kind with the name, if there is one.
func KindNamed(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// The kinds' Record methods; each type's Validate and ContentHash live
// with the type.

// RecordKind is InspectionKind.
func (*Inspection) RecordKind() Kind { return InspectionKind }

// RecordID is the version's id.
func (in *Inspection) RecordID() uuid.UUID { return in.ID }

// RecordCrossing is the inspection's crossing.
func (in *Inspection) RecordCrossing() string { return in.Crossing }

// RecordKind is StaffingKind.
func (*Staffing) RecordKind() Kind { return StaffingKind }

// RecordID is the record's id.
func (s *Staffing) RecordID() uuid.UUID { return s.ID }

// RecordCrossing is the record's crossing.
func (s *Staffing) RecordCrossing() string { return s.Crossing }

// RecordKind is ExitKind.
func (*ExitCount) RecordKind() Kind { return ExitKind }

// RecordID is the count's id.
func (e *ExitCount) RecordID() uuid.UUID { return e.ID }

// RecordCrossing is the count's crossing.
func (e *ExitCount) RecordCrossing() string { return e.Crossing }

// RecordKind is SurveyKind.
func (*Survey) RecordKind() Kind { return SurveyKind }

// RecordID is the survey's id.
func (s *Survey) RecordID() uuid.UUID { return s.ID }

// RecordCrossing is the surveyed crossing.
func (s *Survey) RecordCrossing() string { return s.Crossing }

// RecordKind is LaneKind.
func (*LaneDecision) RecordKind() Kind { return LaneKind }

// RecordID is the decision's id.
func (d *LaneDecision) RecordID() uuid.UUID { return d.ID }

// RecordCrossing is the decision's crossing.
func (d *LaneDecision) RecordCrossing() string { return d.Crossing }

// RecordKind is FundingKind.
func (*FundingEntry) RecordKind() Kind { return FundingKind }

// RecordID is the entry's id.
func (e *FundingEntry) RecordID() uuid.UUID { return e.ID }

// RecordCrossing is the entry's crossing.
func (e *FundingEntry) RecordCrossing() string { return e.Crossing }

// RecordKind is TrainingKind.
func (*TrainingRecord) RecordKind() Kind { return TrainingKind }

// RecordID is the record's id.
func (t *TrainingRecord) RecordID() uuid.UUID { return t.ID }

// RecordCrossing is "": training belongs to an officer, not a crossing.
func (t *TrainingRecord) RecordCrossing() string { return "" }

// SameContent reports whether two submissions of one record say the same
// thing. Their content hashes decide, except that the order of a list that
// is a set (an inspection's techniques and officers) means nothing: a
// device that lists the officers in another order on a retry replays the
// record, it does not conflict with it. The stored hashes stay those of the
// lists as sent, so that audit digests written before this rule still
// verify; the order-free hash is computed only to compare.
func SameContent(a, b Record) bool {
	if a.ContentHash() == b.ContentHash() {
		return true
	}
	ua, ok := a.(unordered)
	if !ok {
		return false
	}
	ub, ok := b.(unordered)
	return ok && ua.orderFreeHash() == ub.orderFreeHash()
}

// unordered is a record holding lists that are sets.
type unordered interface {
	// orderFreeHash is ContentHash with those lists sorted.
	orderFreeHash() string
}
