package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// UserRecord is a user as stored: with the password hash, which a port node
// needs so that its officers can sign in while the link is down.
type UserRecord struct {
	User
	PasswordHash string `json:"password_hash"`
}

// TokenRecord is a token as stored: with the hash of its secret.
type TokenRecord struct {
	Token
	SecretHash string `json:"secret_hash"`
}

// Reference is the reference data headquarters sends a port node: every
// port and crossing, and the accounts whose scope includes the node's
// crossing. Cursor is headquarters' audit position it reflects; a node
// sends it back to ask only for what changed since.
type Reference struct {
	Cursor    int64          `json:"cursor"`
	Changed   bool           `json:"changed"` // false: nothing changed since the cursor sent; the rest is empty
	Ports     []Port         `json:"ports"`
	Crossings []Crossing     `json:"crossings"`
	Users     []UserRecord   `json:"users"`
	Tokens    []TokenRecord  `json:"tokens"`
	Policies  []PolicySource `json:"policies"`
	// Schedules are the node's crossing's published schedules that ended
	// less than a month ago, oldest first.
	Schedules []PublishedSchedule `json:"schedules"`
	// Operations are the pulse-and-surge operations at the node's
	// crossing that ended less than a month ago.
	Operations []Operation `json:"operations"`
}

// PolicySource is a published policy document as its YAML source.
type PolicySource struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Effective string `json:"effective"`
	Source    string `json:"source"`
}

// NodeStatus is what headquarters knows of a port node, from its last report.
type NodeStatus struct {
	Name     string `json:"name"`
	Crossing string `json:"crossing"`
	Version  string `json:"version"` // the node's software
	Schema   int    `json:"schema"`  // the node's database schema
	// Protocol is the sync protocol the node speaks, as its last report's
	// request stated it (headquarters sets it, not the node's body); 0
	// when unknown (a report from before protocols were stated).
	Protocol      int       `json:"protocol,omitempty"`
	QueueDepth    int64     `json:"queue_depth"`     // records not yet acknowledged
	LastError     string    `json:"last_error"`      // of the node's last sync round, "" if it succeeded
	LastSyncAt    time.Time `json:"last_sync_at"`    // headquarters' clock, at the report
	LastSuccessAt time.Time `json:"last_success_at"` // of the last report without an error
	Stale         bool      `json:"stale"`           // no successful sync for longer than allowed
	// SetApartCount is how many records headquarters refused that the
	// node holds set apart, unresolved; SetApart names the first
	// MaxSetApartReported of them.
	SetApartCount int64      `json:"set_apart_count"`
	SetApart      []SetApart `json:"set_apart"`
}

// MaxSetApartReported is how many set-apart records a node names in its
// report: enough for a person to see what went wrong, bounded so that a
// node with thousands does not send them all each round.
const MaxSetApartReported = 20

// SetApart is a record a port node pushed that headquarters refused (as
// invalid, or with any answer but created, replayed or a kept conflict).
// The node keeps it apart, with headquarters' reason, and its queue moves
// on; a supervisor corrects it or discards it.
type SetApart struct {
	Kind       string    `json:"kind"`
	ID         uuid.UUID `json:"id"`
	Crossing   string    `json:"crossing"`
	Reason     string    `json:"reason"` // headquarters' answer
	SetApartAt time.Time `json:"set_apart_at"`

	Resolution  string     `json:"resolution,omitempty"`   // "" while open, then corrected or discarded
	CorrectedBy *uuid.UUID `json:"corrected_by,omitempty"` // the node's record that corrects it
	ResolvedBy  string     `json:"resolved_by,omitempty"`
	ResolvedAt  time.Time  `json:"resolved_at,omitzero"`
	Note        string     `json:"note,omitempty"` // the supervisor's reason
}

// Resolutions of a set-apart record.
const (
	Corrected = "corrected" // a record made at the node since corrects it
	Discarded = "discarded" // it is never sent
)

// SetApartResolution is a supervisor's decision on a set-apart record.
type SetApartResolution struct {
	Kind        string     `json:"kind"`
	ID          uuid.UUID  `json:"id"`
	Resolution  string     `json:"resolution"`             // corrected or discarded
	CorrectedBy *uuid.UUID `json:"corrected_by,omitempty"` // with corrected: the correcting record's id
	Note        string     `json:"note"`                   // why, for the record
}

// SetApartService is a port node's side of records headquarters refused.
type SetApartService interface {
	// FindSetApart lists the records set apart at the actor's crossings,
	// open ones only unless all.
	FindSetApart(ctx context.Context, all bool) ([]SetApart, error)
	// ResolveSetApart settles a set-apart record once, audited.
	ResolveSetApart(ctx context.Context, r SetApartResolution) (SetApart, error)
}

// SyncConflict is a record a node pushed that collided with another at
// headquarters (the same id with other content, a stale edit, a second
// record for the same shift). It is kept for a supervisor to resolve.
type SyncConflict struct {
	Kind       string          `json:"kind"` // inspection, staffing or exit
	ID         uuid.UUID       `json:"id"`
	Node       string          `json:"node"`
	Crossing   string          `json:"crossing"`
	Reason     string          `json:"reason"`
	Record     json.RawMessage `json:"record"` // as the node sent it
	ReceivedAt time.Time       `json:"received_at"`

	Resolution string    `json:"resolution"` // "" while open, then kept or applied
	ResolvedBy string    `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Note       string    `json:"note,omitempty"` // the supervisor's reason
}

// Resolutions of a sync conflict.
const (
	KeptHeadquarters = "kept"    // headquarters' record stands; the node's is set aside
	AppliedNode      = "applied" // the node's inspection becomes the latest version
)

// ConflictResolution is a supervisor's decision on a kept conflict.
type ConflictResolution struct {
	Kind       string    `json:"kind"`
	ID         uuid.UUID `json:"id"`
	Node       string    `json:"node"`
	Resolution string    `json:"resolution"` // kept or applied
	Note       string    `json:"note"`       // why, for the record
}

// Sync headers: a node (or any client) states its sync protocol, its
// schema and its software version; headquarters refuses a protocol it
// does not speak with a message that says what to upgrade.
const (
	HeaderProtocol = "X-Outbound-Protocol"
	HeaderSchema   = "X-Outbound-Schema"
	HeaderVersion  = "X-Outbound-Version"
)

// Protocol is the sync protocol this build speaks: the records, paths and
// headers a port node and headquarters exchange. A release that changes
// them raises it. Headquarters also accepts nodes one protocol behind
// (MinProtocol), so that an agency upgrades headquarters first and its
// port nodes over the following weeks, not all on one day.
//
//   - Protocol 1: releases that stated only their schema (X-Outbound-Schema),
//     and were refused by a headquarters of any other schema.
//   - Protocol 2: states X-Outbound-Protocol; surveys can be voided;
//     staffing records can be edited (a version naming the one it
//     replaces, with a reason; fields a protocol 1 node never sends).
const (
	Protocol    = 2
	MinProtocol = Protocol - 1
)

// Upgrade says what the node's protocol asks of its operators against
// headquarters of this build: "" when it is current or unknown, else a
// sentence; refused is true when headquarters no longer syncs with it.
func (n NodeStatus) Upgrade() (note string, refused bool) {
	switch {
	case n.Protocol == 0 || n.Protocol == Protocol:
		return "", false
	case n.Protocol < MinProtocol:
		return fmt.Sprintf("REFUSED: sync protocol %d is older than headquarters accepts (%d to %d); upgrade the node, which keeps its records meanwhile", n.Protocol, MinProtocol, Protocol), true
	case n.Protocol < Protocol:
		return fmt.Sprintf("upgrade soon: sync protocol %d, one behind headquarters' %d, is accepted until headquarters' next protocol", n.Protocol, Protocol), false
	}
	return fmt.Sprintf("sync protocol %d is newer than headquarters' %d: upgrade headquarters", n.Protocol, Protocol), true
}

// ClientProtocol is the sync protocol a request states in its headers:
// the protocol header, or 1 for a client of protocol 1, which stated only
// its schema; 0 when it states neither (a person's client or a script,
// which the protocol does not concern).
func ClientProtocol(protocol, schema string) (int, error) {
	switch {
	case protocol != "":
		n, err := strconv.Atoi(protocol)
		if err != nil || n < 1 || protocol[0] < '1' || protocol[0] > '9' {
			return 0, Errorf(EINVALID, "protocol", "%s %.20q is not a protocol version (1, 2, ...)", HeaderProtocol, protocol)
		}
		return n, nil
	case schema != "":
		return 1, nil
	}
	return 0, nil
}

// CheckProtocol says whether headquarters of this build, accepting
// protocols min to Protocol, syncs with a client of protocol p (0: not a
// node), and what to upgrade if not.
func CheckProtocol(p, min int) error {
	switch {
	case p == 0 || (p >= min && p <= Protocol):
		return nil
	case p < min:
		return Errorf(ECONFLICT, "protocol", "this port node speaks sync protocol %d and headquarters %d to %d: upgrade the node; it keeps its records until then", p, min, Protocol)
	}
	return Errorf(ECONFLICT, "protocol", "this port node speaks sync protocol %d and headquarters at most %d: upgrade headquarters first; the node keeps its records until then", p, Protocol)
}

// SyncService is headquarters' side of node sync.
type SyncService interface {
	// ReportNode stores the calling node's status.
	ReportNode(ctx context.Context, s NodeStatus) error
	// FindNodes lists every node's status; stale marks those without a
	// successful sync for longer than staleAfter.
	FindNodes(ctx context.Context, staleAfter time.Duration) ([]NodeStatus, error)
	// ReferenceFor returns the calling node's reference data, unless
	// nothing changed since cursor.
	ReferenceFor(ctx context.Context, cursor int64) (Reference, error)
	// FindConflicts lists the conflicts kept at the actor's crossings.
	FindConflicts(ctx context.Context, crossing string) ([]SyncConflict, error)
	// ResolveConflict settles a kept conflict once: kept leaves
	// headquarters' record; applied (inspections only) records the node's
	// version as the inspection's latest, with the supervisor's reason.
	ResolveConflict(ctx context.Context, r ConflictResolution) (SyncConflict, error)
}

// LocalSync is what a port node says of its own sync, at GET /api/v1/sync.
type LocalSync struct {
	Role       string    `json:"role"` // hq or port
	Crossing   string    `json:"crossing,omitempty"`
	Upstream   string    `json:"upstream,omitempty"`
	QueueDepth int64     `json:"queue_depth"`  // records headquarters has not acknowledged
	LastPushAt time.Time `json:"last_push_at"` // zero: never
	LastPullAt time.Time `json:"last_pull_at"` // when reference data last arrived
	// ReferenceAge is how old the reference data is, in seconds; -1 if
	// none ever arrived.
	ReferenceAge int64  `json:"reference_age_seconds"`
	LastError    string `json:"last_error"`
	// SetApart are the records headquarters refused that wait, set apart,
	// for a supervisor to correct or discard.
	SetApart []SetApart `json:"set_apart"`
}
