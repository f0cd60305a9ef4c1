package outbound_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// What makes a badge well formed, at the edges of the rule.
func TestValidBadge(t *testing.T) {
	for b, want := range map[string]bool{
		"B1234":                 true,
		"b1234":                 true, // the form capitalises; the rule itself takes either case
		"7":                     true,
		"CBP-0042":              true,
		strings.Repeat("A", 20): true,
		strings.Repeat("A", 21): false,
		"":                      false,
		"-B1":                   false, // a dash cannot open a badge
		"B 1":                   false,
		"B_1":                   false,
		"Bé1":                   false,
		"B1\n":                  false,
	} {
		if got := outbound.ValidBadge(b); got != want {
			t.Errorf("ValidBadge(%q) = %v; want %v", b, got, want)
		}
	}
}

// The badges typed into one field: any run of spaces, commas and
// semicolons separates them, and they come out in capitals.
func TestParseBadges(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , ; ", nil},
		{"b1234", []string{"B1234"}},
		{"b1234, B5678", []string{"B1234", "B5678"}},
		{"B1;B2 ,B3\tB4\nB5", []string{"B1", "B2", "B3", "B4", "B5"}},
		{"  b-1,,b-1  ", []string{"B-1", "B-1"}}, // a repeat is Validate's to refuse
		{"B_1 -B2", []string{"B_1", "-B2"}},      // and so is a malformed one
	} {
		if got := outbound.ParseBadges(c.in); !slices.Equal(got, c.want) {
			t.Errorf("ParseBadges(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// A record's malformed badge is refused in the rule's words, naming it.
func TestBadgeRefusedInTheRulesWords(t *testing.T) {
	day, err := outbound.ParseDate("2026-01-05")
	if err != nil {
		t.Fatal(err)
	}
	rec := outbound.TrainingRecord{ID: [16]byte{1}, Badge: "B_1", Course: "rail-outbound", CompletedOn: day}
	err = rec.Validate(now)
	if outbound.ErrorField(err) != "badge" || !strings.Contains(outbound.ErrorMessage(err), `"B_1" must be `+outbound.BadgeRule) {
		t.Fatalf("Validate = %v; want the badge refused with its rule", err)
	}
}
