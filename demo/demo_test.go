package demo_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
)

func days(t *testing.T, seed uint64) []demo.Day {
	t.Helper()
	from, _ := outbound.ParseDate("2026-01-01")
	to, _ := outbound.ParseDate("2026-01-31")
	var out []demo.Day
	err := demo.Generate(demo.Config{Seed: seed, From: from, To: to}, demo.Ports(seed, 2, 2), func(d demo.Day) error {
		out = append(out, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameSeedSameRecords(t *testing.T) {
	a, b := days(t, 7), days(t, 7)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, other records:\n%s", diff)
	}
	if cmp.Equal(a, days(t, 8)) {
		t.Fatal("another seed made the same records")
	}
}

func TestRecordsAreValid(t *testing.T) {
	now := outbound.Date{Year: 2026, Month: 2, Day: 1}.Time(time.UTC)
	for _, d := range days(t, 3) {
		for _, in := range d.Inspections {
			if err := in.Validate(now); err != nil {
				t.Fatalf("demo inspection %+v: %v", in, err)
			}
		}
		for _, s := range d.Staffing {
			if err := s.Validate(time.Now()); err != nil {
				t.Fatalf("demo staffing %+v: %v", s, err)
			}
		}
		for _, e := range d.Exits {
			if err := e.Validate(time.Now()); err != nil {
				t.Fatalf("demo exit count %+v: %v", e, err)
			}
		}
	}
	for _, p := range demo.Ports(1, 20, 30) {
		if err := p.Validate(); err != nil {
			t.Fatalf("demo port %+v: %v", p, err)
		}
	}
}
