package sqldb

import (
	"fmt"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

func TestPiecesSplitWholeMonthsFromDays(t *testing.T) {
	d := func(s string) outbound.Date { x, _ := outbound.ParseDate(s); return x }
	for _, c := range []struct{ from, to, want string }{
		{"2026-01-01", "2026-12-31", "[] [2026-01-01 2026-12-01]"},
		{"2026-01-15", "2026-03-10", "[[2026-01-15 2026-01-31] [2026-03-01 2026-03-10]] [2026-02-01 2026-02-01]"},
		{"2026-03-02", "2026-03-08", "[[2026-03-02 2026-03-08]] [ ]"},
		{"2026-02-01", "2026-02-28", "[] [2026-02-01 2026-02-01]"},
		{"2026-01-31", "2026-02-01", "[[2026-01-31 2026-02-01]] [ ]"},
		{"2024-02-01", "2024-02-29", "[] [2024-02-01 2024-02-01]"},
	} {
		days, months := pieces(d(c.from), d(c.to))
		if got := fmt.Sprint(days, months); got != c.want {
			t.Errorf("pieces(%s, %s) = %s; want %s", c.from, c.to, got, c.want)
		}
	}
}

func TestPartOfMonthReadsTheFewerRows(t *testing.T) {
	d := func(s string) outbound.Date { x, _ := outbound.ParseDate(s); return x }
	for _, c := range []struct{ from, to, want string }{
		// Fewer days than the rest of the month: the days.
		{"2026-08-29", "2026-08-31", "[{false 2026-08-29 2026-08-31 1}]"},
		// Most of the month: the month less the days after.
		{"2026-11-01", "2026-11-26", "[{true 2026-11-01 2026-11-01 1} {false 2026-11-27 2026-11-30 -1}]"},
		// Less the days on both sides.
		{"2026-03-03", "2026-03-29", "[{true 2026-03-01 2026-03-01 1} {false 2026-03-01 2026-03-02 -1} {false 2026-03-30 2026-03-31 -1}]"},
		// Across two months, each on its own.
		{"2026-01-31", "2026-02-27", "[{false 2026-01-31 2026-01-31 1} {true 2026-02-01 2026-02-01 1} {false 2026-02-28 2026-02-28 -1}]"},
		// Half and half: the days.
		{"2026-04-01", "2026-04-15", "[{false 2026-04-01 2026-04-15 1}]"},
	} {
		var parts []string
		for _, p := range partOfMonth(d(c.from), d(c.to)) {
			parts = append(parts, fmt.Sprint("{", p.monthly, " ", p.from.String(), " ", p.to.String(), " ", p.sign, "}"))
		}
		if got := "[" + strings.Join(parts, " ") + "]"; got != c.want {
			t.Errorf("partOfMonth(%s, %s) = %s; want %s", c.from, c.to, got, c.want)
		}
	}
}
