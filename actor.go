package outbound

import (
	"context"
	"fmt"
	"slices"
)

// Role is what a user does in the outbound program (DESIGN section 2).
type Role string

// Roles.
const (
	Officer     Role = "officer"      // records inspections at their crossings
	Supervisor  Role = "supervisor"   // also edits and voids them, records staffing and exits, plans operations
	FieldOffice Role = "field_office" // reads and plans operations for a set of crossings
	HQAnalyst   Role = "hq_analyst"   // reads everything
	PolicyAdmin Role = "policy_admin" // reads everything; publishes policy
	Auditor     Role = "auditor"      // reads everything, including the audit log
	Admin       Role = "admin"        // manages users, tokens and reference data
	// Node is a port node's credential at headquarters: it pushes its
	// crossing's records and pulls the reference data its crossing needs.
	Node Role = "node"
)

// Roles lists every role.
var Roles = []Role{Officer, Supervisor, FieldOffice, HQAnalyst, PolicyAdmin, Auditor, Admin, Node}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// National reports whether the role's scope is every crossing.
func (r Role) National() bool {
	return r == HQAnalyst || r == PolicyAdmin || r == Auditor || r == Admin
}

// Action is something an actor may be allowed to do.
type Action string

// Actions, checked by the services for every call.
const (
	ReadRecords      Action = "read records"           // inspections, staffing, exits
	WriteInspection  Action = "record inspections"     // a first version
	UndoInspection   Action = "undo inspections"       // a void of one's own record just made (CheckUndo)
	EditInspection   Action = "edit inspections"       // a later version, or a void
	WriteStaffing    Action = "record staffing"        //
	WriteExits       Action = "record exit counts"     //
	ManageReference  Action = "manage ports"           // ports, crossings, BTS volumes
	ManageUsers      Action = "manage users"           // users and tokens
	ReadAudit        Action = "read the audit log"     //
	ChangeOwnAccount Action = "change own password"    //
	SignCheckpoints  Action = "sign audit checkpoints" // the command line only, with the key
	SyncNode         Action = "sync as a port node"    // push status, pull reference data
	ReadNodes        Action = "read node status"       //
	PublishPolicy    Action = "publish policy"         //
	PlanOperations   Action = "publish schedules"      // of outbound operations at their crossings
	WriteSurvey      Action = "record surveys"         // of a crossing's infrastructure and equipment
	WriteFunding     Action = "record funding"         // allocations, obligations and spending of the outbound line
	PublishPlanning  Action = "publish planning"       // the gap standard and the cost catalogue
	ResolveConflicts Action = "resolve sync conflicts" // of their crossings' port nodes
)

// allowed says which roles may do what; the scope of crossings applies on
// top for actions on a crossing. Analysts and auditors write nothing;
// admins manage accounts but record nothing.
var allowed = map[Action][]Role{
	ReadRecords:      {Officer, Supervisor, FieldOffice, HQAnalyst, PolicyAdmin, Auditor, Admin, Node},
	WriteInspection:  {Officer, Supervisor, Node},
	UndoInspection:   {Officer, Supervisor, Node},
	EditInspection:   {Supervisor, Node}, // a node forwards its supervisors' edits
	WriteStaffing:    {Supervisor, Node},
	WriteExits:       {Supervisor, Node},
	ManageReference:  {Admin},
	ManageUsers:      {Admin},
	ReadAudit:        {Auditor, Admin},
	ChangeOwnAccount: {Officer, Supervisor, FieldOffice, HQAnalyst, PolicyAdmin, Auditor, Admin},
	SyncNode:         {Node},
	ReadNodes:        {Supervisor, FieldOffice, HQAnalyst, PolicyAdmin, Auditor, Admin},
	PublishPolicy:    {PolicyAdmin, Admin},
	PlanOperations:   {Supervisor, FieldOffice},
	WriteSurvey:      {Supervisor, FieldOffice, Node},
	WriteFunding:     {FieldOffice, HQAnalyst},
	PublishPlanning:  {HQAnalyst, PolicyAdmin},
	ResolveConflicts: {Supervisor, FieldOffice},
}

// Actor is who is acting: a signed-in user, a token's holder, or the local
// command line.
type Actor struct {
	Name         string
	Role         Role
	Badge        string   // the user's badge, if their account has one
	Crossings    []string // the scope, unless AllCrossings
	AllCrossings bool
	// System is the command line on the database host: trusted like the
	// database file itself, and audited under Name.
	System bool
}

// SystemActor is the local command line, audited as name.
func SystemActor(name string) *Actor { return &Actor{Name: name, System: true, AllCrossings: true} }

// InScope reports whether the actor's scope includes crossing.
func (a *Actor) InScope(crossing string) bool {
	return a.AllCrossings || slices.Contains(a.Crossings, crossing)
}

// Can reports whether the actor may do action, at crossing if one is given.
func (a *Actor) Can(action Action, crossing string) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	if !slices.Contains(allowed[action], a.Role) {
		return false
	}
	return crossing == "" || a.InScope(crossing)
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the context's actor, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Authorize returns nil if the context's actor may do action (at crossing,
// if given): EUNAUTHORIZED when nobody is acting, EFORBIDDEN otherwise.
func Authorize(ctx context.Context, action Action, crossing string) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHORIZED, "", "sign in or send a token (Authorization: Bearer ...)")
	case a.Can(action, crossing):
		return nil
	case crossing != "" && slices.Contains(allowed[action], a.Role):
		return Errorf(EFORBIDDEN, "crossing", "%s may not %s at crossing %s: outside their scope", a.Name, action, Shown(crossing))
	default:
		return Errorf(EFORBIDDEN, "", "%s (%s) may not %s", a.Name, a.Role, action)
	}
}

// String names the actor for logs.
func (a *Actor) String() string {
	if a == nil {
		return "nobody"
	}
	return fmt.Sprintf("%s (%s)", a.Name, a.Role)
}
