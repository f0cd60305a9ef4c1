package outbound

import (
	"context"
	"slices"
	"time"
)

// Operation is a pulse-and-surge operation: a short push of outbound
// inspections at chosen crossings over a few days, with the officers it
// brings. Inspections it produces name its ID in operation_id.
type Operation struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Basis     string    `json:"basis"` // random or intelligence
	Crossings []string  `json:"crossings"`
	From      Date      `json:"from"`
	To        Date      `json:"to"`
	Officers  int       `json:"officers"`
	Reason    string    `json:"reason"` // why these crossings, for an intelligence-driven operation
	PlannedAt time.Time `json:"planned_at"`
	PlannedBy string    `json:"planned_by"`
}

// RunsAt reports whether the operation runs at crossing on day, a local
// day at that crossing: the officer's form offers it then.
func (op *Operation) RunsAt(crossing string, day Date) bool {
	return slices.Contains(op.Crossings, crossing) && !day.Before(op.From) && !op.To.Before(day)
}

// Operation bases.
const (
	RandomBasis       = "random"       // crossings drawn at random, weighted by what a smuggler would gain there
	IntelligenceBasis = "intelligence" // crossings chosen on information, with a stated reason
)

// OperationRequest plans an operation. A random operation names Count
// (and, to draw among fewer, Crossings or FieldOffice); an intelligence
// one names its Crossings and a Reason.
type OperationRequest struct {
	Name        string   `json:"name"`
	Basis       string   `json:"basis"`
	Crossings   []string `json:"crossings,omitempty"`
	FieldOffice string   `json:"field_office,omitempty"`
	Count       int      `json:"count,omitempty"`
	From        Date     `json:"from"`
	To          Date     `json:"to"`
	Officers    int      `json:"officers"`
	Reason      string   `json:"reason,omitempty"`
}

// OperationResult is what an operation produced: its inspections, their
// seizures and the officer hours they took.
type OperationResult struct {
	Operation
	Inspections  int64   `json:"inspections"`
	Seizures     int64   `json:"seizures"`
	ValueUSD     float64 `json:"value_usd"`
	OfficerHours float64 `json:"officer_hours"`
}

// OperationService plans pulse-and-surge operations and reports on them.
type OperationService interface {
	PlanOperation(ctx context.Context, req OperationRequest) (Operation, error)
	// FindOperations lists the operations at crossings in scope that
	// overlap local days from..to.
	FindOperations(ctx context.Context, from, to Date) ([]Operation, error)
	// OperationResults reports an operation with what it produced.
	OperationResults(ctx context.Context, id string) (OperationResult, error)
}
