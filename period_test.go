package outbound_test

import (
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
)

func day(y int, m time.Month, d int) outbound.Date { return outbound.Date{Year: y, Month: m, Day: d} }

func TestParsePeriodNamesTheField(t *testing.T) {
	for _, c := range []struct {
		from, to string
		field    string // "" when the period is good
		days     int
	}{
		{"2026-03-01", "2026-03-01", "", 1},
		{"2026-03-01", "2026-03-31", "", 31},
		{"2024-02-01", "2024-03-01", "", 30}, // a leap year
		{"2016-03-01", "2026-03-06", "", 3658},
		{"", "2026-03-01", "from", 0},
		{"2026-03-01", "", "to", 0},
		{"", "", "from", 0},
		{"March", "2026-03-01", "from", 0},
		{"2026-03-01", "March", "to", 0},
		{"2026-02-30", "2026-03-01", "from", 0},
		{"2026-3-1", "2026-03-01", "from", 0},
		{"2026-03-01T00:00:00Z", "2026-03-02", "from", 0},
		{"2026-03-05", "2026-03-01", "to", 0},
		{"March", "April", "from", 0}, // the first mistake is named
	} {
		p, err := outbound.ParsePeriod(c.from, c.to)
		if got := outbound.ErrorField(err); got != c.field || (err != nil && outbound.ErrorCode(err) != outbound.EINVALID) {
			t.Errorf("ParsePeriod(%q, %q) = %v; want field %q", c.from, c.to, err, c.field)
			continue
		}
		if err == nil && (p.Days() != c.days || p.From.String() != c.from || p.To.String() != c.to) {
			t.Errorf("ParsePeriod(%q, %q) = %v, %d days; want %d", c.from, c.to, p, p.Days(), c.days)
		}
	}
}

func TestPeriodValidateKeepsEachBound(t *testing.T) {
	p := outbound.Period{From: day(2016, 3, 1), To: day(2026, 3, 6)} // 3,658 days
	if err := p.Validate(outbound.MaxReportDays); err != nil {
		t.Fatalf("ten years: %v", err)
	}
	p.To = p.From.AddDays(3660)
	if err := p.Validate(outbound.MaxReportDays); err != nil {
		t.Fatalf("3,660 days after from (reports' bound since the start): %v", err)
	}
	p.To = p.From.AddDays(3661)
	if err := p.Validate(outbound.MaxReportDays); outbound.ErrorField(err) != "to" {
		t.Fatalf("one day past ten years: %v; want an error on to", err)
	}
	if err := p.Validate(outbound.AnyLength); err != nil {
		t.Fatalf("any length: %v", err)
	}
	week := outbound.Period{From: day(2026, 3, 1), To: day(2026, 3, 7)}
	if week.Validate(7) != nil || week.Validate(6) == nil {
		t.Fatalf("a week against bounds of 7 and 6 days: %v, %v", week.Validate(7), week.Validate(6))
	}
	for field, p := range map[string]outbound.Period{
		"from": {To: day(2026, 3, 1)},
		"to":   {From: day(2026, 3, 1)},
	} {
		if err := p.Validate(outbound.AnyLength); outbound.ErrorField(err) != field {
			t.Errorf("%v: %v; want an error on %s", p, err, field)
		}
	}
}

func TestParsePeriodOrDefaultsEachEnd(t *testing.T) {
	def := outbound.Period{From: day(2026, 1, 1), To: day(2026, 3, 31)}
	for _, c := range []struct {
		from, to string
		want     outbound.Period
		field    string
	}{
		{"", "", def, ""},
		{"2026-02-01", "", outbound.Period{From: day(2026, 2, 1), To: day(2026, 3, 31)}, ""},
		{"", "2026-02-01", outbound.Period{From: day(2026, 1, 1), To: day(2026, 2, 1)}, ""},
		{"2026-04-01", "", outbound.Period{}, "to"}, // past the default's end
		{"x", "", outbound.Period{}, "from"},
	} {
		p, err := outbound.ParsePeriodOr(c.from, c.to, def)
		if outbound.ErrorField(err) != c.field || (err == nil && p != c.want) {
			t.Errorf("ParsePeriodOr(%q, %q) = %v, %v; want %v, field %q", c.from, c.to, p, err, c.want, c.field)
		}
	}
	// Lists leave an end open.
	p, err := outbound.ParsePeriodOr("", "2026-02-01", outbound.Period{})
	if err != nil || !p.From.IsZero() || !p.Contains(day(1999, 1, 1)) || p.Contains(day(2026, 2, 2)) {
		t.Fatalf("open from: %v, %v", p, err)
	}
}

func TestPeriodDaysAndContains(t *testing.T) {
	p := outbound.Period{From: day(2026, 2, 27), To: day(2026, 3, 2)}
	if p.Days() != 4 {
		t.Fatalf("Days = %d; want 4 (2026 is not a leap year)", p.Days())
	}
	for d, in := range map[outbound.Date]bool{day(2026, 2, 26): false, day(2026, 2, 27): true, day(2026, 3, 2): true, day(2026, 3, 3): false} {
		if p.Contains(d) != in {
			t.Errorf("Contains(%s) = %v", d, !in)
		}
	}
	if long := (outbound.Period{From: day(1, 1, 1), To: day(9999, 12, 31)}); long.Days() != 3652059 {
		t.Fatalf("Days over the whole calendar = %d; want 3652059", long.Days())
	}
}

func TestFiscalYear(t *testing.T) {
	fy := outbound.FiscalYear(2027)
	if fy.From != day(2026, 10, 1) || fy.To != day(2027, 9, 30) || fy.Days() != 365 {
		t.Fatalf("FY2027 = %v (%d days)", fy, fy.Days())
	}
	if outbound.FiscalYear(2024).Days() != 366 {
		t.Fatal("FY2024 holds February 29")
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	for _, c := range []struct {
		t    time.Time
		want int
	}{
		{time.Date(2026, 9, 30, 23, 59, 0, 0, time.UTC), 2026},
		{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 2027},
		// The local day decides: 02:00 UTC on October 1 is still September
		// 30 in Chicago.
		{time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC).In(chicago), 2026},
		{time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC), 2027},
	} {
		if got := outbound.FiscalYearOf(c.t); got != c.want {
			t.Errorf("FiscalYearOf(%v) = %d; want %d", c.t, got, c.want)
		}
		if !outbound.FiscalYear(c.want).Contains(outbound.DateOf(c.t)) {
			t.Errorf("FY%d does not contain %v", c.want, c.t)
		}
	}
}

func TestVocabularyFiltersNameTheField(t *testing.T) {
	if b, err := outbound.ParseBorder(""); b != "" || err != nil {
		t.Fatalf("no border: %q, %v", b, err)
	}
	if b, err := outbound.ParseBorder("northern"); b != outbound.Northern || err != nil {
		t.Fatalf("northern: %q, %v", b, err)
	}
	for field, err := range map[string]error{
		"border":   second(outbound.ParseBorder("eastern")),
		"modality": second(outbound.ParseModality("car")),
		"outcome":  second(outbound.ParseOutcome("found")),
	} {
		if outbound.ErrorField(err) != field || outbound.ErrorCode(err) != outbound.EINVALID {
			t.Errorf("bad %s: %v", field, err)
		}
	}
	if _, err := outbound.ParseBorder("eastern"); outbound.ErrorMessage(err) != `border "eastern" is not southwest or northern` {
		t.Errorf("border message: %q", outbound.ErrorMessage(err))
	}
}

func second[T any](_ T, err error) error { return err }

// FuzzParsePeriod checks that any two strings give either a period in
// order whose ends print back as given, or an invalid-input error naming
// from or to; never a panic.
func FuzzParsePeriod(f *testing.F) {
	f.Add("2026-03-01", "2026-03-31")
	f.Add("", "")
	f.Add("2026-03-05", "2026-03-01")
	f.Fuzz(func(t *testing.T, from, to string) {
		p, err := outbound.ParsePeriod(from, to)
		if err != nil {
			if outbound.ErrorCode(err) != outbound.EINVALID || (outbound.ErrorField(err) != "from" && outbound.ErrorField(err) != "to") {
				t.Fatalf("ParsePeriod(%q, %q): %v", from, to, err)
			}
			return
		}
		if p.Days() < 1 || p.From.String() != from || p.To.String() != to || !p.Contains(p.From) || !p.Contains(p.To) {
			t.Fatalf("ParsePeriod(%q, %q) = %v (%d days)", from, to, p, p.Days())
		}
		if p.Validate(outbound.MaxReportDays) == nil && p.Days() > outbound.MaxReportDays {
			t.Fatalf("%v passed the report bound with %d days", p, p.Days())
		}
	})
}
