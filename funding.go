package outbound

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// FundingEntry is one movement on the outbound funding line: money
// allocated to a crossing for a category in a fiscal year, obligated
// (contracted), or spent.
type FundingEntry struct {
	ID         uuid.UUID `json:"id"` // made by the client
	FiscalYear int       `json:"fiscal_year"`
	Crossing   string    `json:"crossing"`
	Category   string    `json:"category"` // staffing, equipment, infrastructure, training or other
	Kind       string    `json:"kind"`     // allocation, obligation or expenditure
	Day        Date      `json:"day"`
	AmountUSD  float64   `json:"amount_usd"` // negative to correct an earlier entry
	Note       string    `json:"note"`

	ReceivedAt time.Time `json:"received_at"` // set by the server
}

// FundingCategories and FundingKinds are the funding line's vocabulary.
var (
	FundingCategories = []string{"staffing", "equipment", "infrastructure", "training", "other"}
	FundingKinds      = []string{"allocation", "obligation", "expenditure"}
)

// FundingService keeps the outbound funding line.
type FundingService interface {
	RecordFunding(ctx context.Context, batch []FundingEntry) ([]RecordResult[FundingEntry], error)
	FindFunding(ctx context.Context, f Filter) ([]FundingEntry, string, error)
}

// Validate reports the first problem with the entry, naming the field.
// now is the server's clock in the crossing's time zone.
func (e *FundingEntry) Validate(now time.Time) error {
	if err := checkDaily(e.ID, e.Crossing, e.Day, now); err != nil {
		return err
	}
	if err := checkText("note", e.Note, maxReason, true); err != nil {
		return err
	}
	switch {
	case e.FiscalYear < 2000 || e.FiscalYear > 2100:
		return Errorf(EINVALID, "fiscal_year", "fiscal_year is a year such as 2027")
	case !slices.Contains(FundingCategories, e.Category):
		return Errorf(EINVALID, "category", "category %s is not %s", Shown(e.Category), strings.Join(FundingCategories, ", "))
	case !slices.Contains(FundingKinds, e.Kind):
		return Errorf(EINVALID, "kind", "kind %s is not %s", Shown(e.Kind), strings.Join(FundingKinds, ", "))
	case math.IsNaN(e.AmountUSD) || math.IsInf(e.AmountUSD, 0) || math.Abs(e.AmountUSD) > 1e11:
		return Errorf(EINVALID, "amount_usd", "amount_usd must be a number within 100 billion")
	}
	return nil
}

// ContentHash is a digest of what the client said.
func (e *FundingEntry) ContentHash() string {
	c := *e
	c.ReceivedAt = time.Time{}
	return Digest(c)
}
