package outbound

import (
	"context"
	"slices"
	"time"
)

// PlanDocument is a published planning document, as its YAML source: the
// gap standard per crossing class, or the cost catalogue. Each publication
// is a new version; the latest of each kind is the one in force, and the
// older stay for the record.
type PlanDocument struct {
	Kind        string    `json:"kind"`
	Version     int       `json:"version"`
	Source      string    `json:"source"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
}

// Kinds of planning documents.
const (
	GapStandard   = "gap_standard"
	CostCatalogue = "cost_catalogue"
)

// PlanKinds lists the kinds of planning documents.
var PlanKinds = []string{GapStandard, CostCatalogue}

// ValidPlanKind reports whether kind is a kind of planning document.
func ValidPlanKind(kind string) bool { return slices.Contains(PlanKinds, kind) }

// PlanningService publishes planning documents and reads the one in force.
type PlanningService interface {
	// PublishPlan checks the source as its kind demands (errors name
	// file) and stores it as the kind's next version.
	PublishPlan(ctx context.Context, kind, file string, src []byte) (PlanDocument, error)
	// PlanInForce returns the latest version of a kind, ENOTFOUND if none
	// was published.
	PlanInForce(ctx context.Context, kind string) (PlanDocument, error)
}
