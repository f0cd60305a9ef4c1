package outbound_test

import (
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
)

// A time falls in the shift its local hour starts: the boundaries belong
// to the shift they open, and the night shift runs across midnight.
func TestShiftOf(t *testing.T) {
	day := func(h, m, s int) time.Time { return time.Date(2026, 3, 1, h, m, s, 0, time.UTC) }
	for _, c := range []struct {
		at   time.Time
		want outbound.Shift
	}{
		{day(0, 0, 0), outbound.NightShift},
		{day(5, 59, 59), outbound.NightShift},
		{day(6, 0, 0), outbound.DayShift},
		{day(13, 59, 59), outbound.DayShift},
		{day(14, 0, 0), outbound.SwingShift},
		{day(21, 59, 59), outbound.SwingShift},
		{day(22, 0, 0), outbound.NightShift},
		{day(23, 59, 59), outbound.NightShift},
	} {
		if got := outbound.ShiftOf(c.at); got != c.want {
			t.Errorf("ShiftOf(%s) = %s; want %s", c.at.Format("15:04:05"), got, c.want)
		}
	}
}

// The shift is read on the clock of the time given: the same instant is
// the day shift in UTC and the night shift at a crossing in Texas.
func TestShiftOfLocalClock(t *testing.T) {
	chicago := time.FixedZone("CST", -6*60*60)          // Laredo in winter
	at := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC) // 04:30 in Chicago
	if got := outbound.ShiftOf(at); got != outbound.DayShift {
		t.Errorf("ShiftOf(10:30 UTC) = %s; want day", got)
	}
	if got := outbound.ShiftOf(at.In(chicago)); got != outbound.NightShift {
		t.Errorf("ShiftOf(04:30 Chicago) = %s; want night", got)
	}
}
