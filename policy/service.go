package policy

import (
	"context"

	"github.com/outbound-oss/outbound"
)

// Service publishes and reads policy documents and measures the record
// against them. It is declared here rather than beside the root package's
// services because it speaks this package's types, and this package
// imports the root: the root cannot name them.
type Service interface {
	// FindPolicies returns every published policy document, oldest first.
	FindPolicies(ctx context.Context) ([]Document, error)
	// PublishPolicy publishes the documents of a policy file (errors name
	// file). They are checked with every document already published; any
	// finding about the new ones refuses them all (EUNPROCESSABLE), and
	// the report says why.
	PublishPolicy(ctx context.Context, file string, src []byte) ([]Document, Report, error)
	// Compliance computes minimum-frequency compliance for every crossing
	// the actor may see, or the one named, over local days from..to.
	Compliance(ctx context.Context, crossing string, from, to outbound.Date) ([]Compliance, []RollupRow, error)
	// CheckInspections checks every inspection of a crossing over local
	// days from..to against the policy in force at its time, and returns
	// how many were checked and those that broke it.
	CheckInspections(ctx context.Context, crossing string, from, to outbound.Date) (int, []InspectionCheck, error)
}
