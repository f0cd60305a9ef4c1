package bts

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// grouped writes n with commas between thousands, as older releases do.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func TestParseCount(t *testing.T) {
	for s, want := range map[string]int64{"0": 0, "1234": 1234, "1,234": 1234, "12,345,678": 12345678, "007": 7, "1,000,000,000": MaxValue} {
		if n, ok := parseCount(s); !ok || n != want {
			t.Errorf("parseCount(%q) = %d, %v; want %d", s, n, ok, want)
		}
	}
	for _, s := range []string{"", "-1", "+1", "1,23,4", "12,34", "1234,567", ",123", "123,", "0,123", "1,,234", "1.0", "1 234", "1,000,000,001", "99999999999999999999"} {
		if n, ok := parseCount(s); ok {
			t.Errorf("parseCount(%q) = %d; want it refused", s, n)
		}
	}
}

// FuzzParseCount checks that a count is read as its digits say, and that
// commas are accepted only between thousands.
func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"0", "1,234", "1,23,4", "007", "1,000,000,000", "-5", "12,345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseCount(s)
		if !ok {
			if m, err := strconv.ParseInt(s, 10, 64); err == nil && m <= MaxValue && strings.Trim(s, "0123456789") == "" {
				t.Fatalf("refused %q, a plain count", s)
			}
			return
		}
		digits := strings.ReplaceAll(s, ",", "")
		if m, err := strconv.ParseInt(digits, 10, 64); err != nil || m != n || n < 0 || n > MaxValue || strings.ContainsAny(digits, "+-") {
			t.Fatalf("parseCount(%q) = %d; its digits say %s", s, n, digits)
		}
		if strings.Contains(s, ",") && s != grouped(n) {
			t.Fatalf("accepted %q: commas not between thousands of %d", s, n)
		}
		if g := grouped(n); func() bool { m, ok := parseCount(g); return !ok || m != n }() {
			t.Fatalf("refused %q, %d with its thousands separated", g, n)
		}
	})
}

// FuzzParsePoint checks that a point read lies where ports are, and that
// both forms of one point read the same.
func FuzzParsePoint(f *testing.F) {
	for _, s := range []string{"POINT (-99.507 27.5)", "(27.5, -99.507)", "Laredo\nTX\n(27.5, -99.507)", "POINT (27.5 -99.507)", "(NaN, 1)", "point(-70 45)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lat, lon, ok := parsePoint(s)
		if !ok {
			return
		}
		if !onLandBorders(lat, lon) {
			t.Fatalf("parsePoint(%q) = %v, %v: off the land borders", s, lat, lon)
		}
		a := strconv.FormatFloat(lat, 'g', -1, 64)
		o := strconv.FormatFloat(lon, 'g', -1, 64)
		la, lo, ok1 := parsePoint("POINT (" + o + " " + a + ")")
		lb, lp, ok2 := parsePoint("(" + a + ", " + o + ")")
		if !ok1 || !ok2 || la != lat || lo != lon || lb != lat || lp != lon {
			t.Fatalf("%q read as %v, %v; its two forms read %v, %v and %v, %v", s, lat, lon, la, lo, lb, lp)
		}
	})
}

// FuzzParseMonth checks that every month read is the first of a month in
// the years allowed, and reads the same in every layout.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"Jan 1999", "01/01/1999 12:00:00 AM", "1999-01", "02/15/2019 12:00:00 AM", "Jan 0001", "1999-13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseMonth(s)
		if !ok {
			return
		}
		if d.Day != 1 || d.Year < minYear || d.Year > maxYear {
			t.Fatalf("parseMonth(%q) = %v", s, d)
		}
		tm := d.Time(time.UTC)
		for _, layout := range monthLayouts {
			if e, ok := parseMonth(tm.Format(layout)); !ok || e != d {
				t.Fatalf("%q read as %v; as %q it reads %v", s, d, tm.Format(layout), e)
			}
		}
	})
}
