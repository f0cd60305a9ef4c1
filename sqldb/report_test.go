package sqldb

import (
	"fmt"
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
