package sqldb

import (
	"slices"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
)

// TestRollupDimsAreWritten holds the dimensions verify recomputes to those
// the writes keep: a dimension added to one and not the other would go
// unchecked, or be named as written around the application.
func TestRollupDimsAreWritten(t *testing.T) {
	in := outbound.Inspection{Crossing: "2304", StartedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), EndedAt: time.Date(2026, 3, 1, 9, 10, 0, 0, time.UTC),
		Techniques: []outbound.Technique{outbound.Interview}, Officers: []string{"B1"},
		Seizures: []outbound.Seizure{{Category: outbound.Currency, Quantity: 1, Unit: "USD", ValueUSD: 1}}}
	in.LocalDay = outbound.DateOf(in.StartedAt)
	d := rollupDeltas{}
	d.inspection(&in, time.UTC, 1)
	var written []string
	for k := range d {
		if !slices.Contains(written, k.dim) {
			written = append(written, k.dim)
		}
	}
	slices.Sort(written)
	want := slices.Clone(rollupDims)
	slices.Sort(want)
	if !slices.Equal(written, want) {
		t.Fatalf("writes keep dimensions %v; verify recomputes %v", written, want)
	}
	for _, dim := range inspectionDims {
		if dim == "category" || dim == "category_unit" {
			t.Fatalf("%s counts seizures, not inspections", dim)
		}
	}
}
