package outbound

import "time"

// Period is a run of whole calendar days, From to To, both included.
//
// The days are local: a crossing's day is its own calendar day in its own
// time zone, so a one-day period at Laredo and at Blaine holds what
// happened between each crossing's midnights, not one span of UTC time. A
// period therefore never carries a time zone; whoever reads records for
// it applies each crossing's zone (an inspection's local_day).
//
// A zero From or To is an open end. Only lists accept open ends; reports,
// schedules and operations require both (see Validate).
type Period struct {
	From, To Date
}

// Longest periods, in days, that callers accept. Validate takes one of
// these so that each use keeps its own bound with one set of messages.
const (
	// MaxReportDays is how long a report or a trend may run: ten years
	// (3,660 days after from), which keeps a national report's rows
	// bounded yet covers the audit's five fiscal years twice over.
	MaxReportDays = 3661
	// AnyLength bounds nothing but the order of the days: look-ups that
	// only find what overlaps a period (schedules, operations, policy
	// compliance) have always accepted any length.
	AnyLength = 0
)

// ParsePeriod parses a required period from two "YYYY-MM-DD" strings: both
// given, each a date, from first. Its errors name the field at fault
// ("from" or "to") so the CLI, the API and the pages say the same thing
// for the same mistake.
func ParsePeriod(from, to string) (Period, error) {
	p, err := ParsePeriodOr(from, to, Period{})
	if err != nil {
		return p, err
	}
	return p, p.Validate(AnyLength)
}

// ParsePeriodOr parses a period whose empty ends take the day of def's
// same end: pages default to a recent period, lists to open ends (a zero
// def). When both ends are set it checks their order.
func ParsePeriodOr(from, to string, def Period) (Period, error) {
	p := def
	for _, end := range []struct {
		name, value string
		day         *Date
	}{{"from", from, &p.From}, {"to", to, &p.To}} {
		if end.value == "" {
			continue
		}
		d, err := ParseDate(end.value)
		if err != nil {
			return p, Errorf(EINVALID, end.name, "%s %s is not a date; expected YYYY-MM-DD", end.name, Shown(end.value))
		}
		*end.day = d
	}
	return p, p.Ordered()
}

// Validate reports the first problem with p as a closed period: both ends
// present, from first, and at most maxDays days long unless maxDays is
// AnyLength. Storage calls it too, so a period that did not come through
// ParsePeriod (a JSON body, a Go caller) is held to the same rule.
func (p Period) Validate(maxDays int) error {
	switch {
	case p.From.IsZero():
		return Errorf(EINVALID, "from", "from is required: the first local day, YYYY-MM-DD")
	case p.To.IsZero():
		return Errorf(EINVALID, "to", "to is required: the last local day, YYYY-MM-DD")
	case p.To.Before(p.From):
		return p.misordered()
	case maxDays > AnyLength && p.Days() > maxDays:
		return Errorf(EINVALID, "to", "the period %s to %s is %d days; at most %d are allowed", p.From, p.To, p.Days(), maxDays)
	}
	return nil
}

func (p Period) misordered() error {
	return Errorf(EINVALID, "to", "to (%s) is before from (%s)", p.To, p.From)
}

// Ordered reports, naming to, a period whose two ends are set and To is
// before From; open ends pass. Lists, which take open ends, check this.
func (p Period) Ordered() error {
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return p.misordered()
	}
	return nil
}

// Days returns how many calendar days p holds, both ends included: 1 for a
// one-day period, 0 or less when To is before From. It counts in Unix
// seconds rather than a time.Duration, which overflows after 292 years.
func (p Period) Days() int {
	return int((p.To.Time(time.UTC).Unix()-p.From.Time(time.UTC).Unix())/86400) + 1
}

// Contains reports whether local day d is in p. An open end (a zero From
// or To) contains every day on its side.
func (p Period) Contains(d Date) bool {
	return (p.From.IsZero() || !d.Before(p.From)) && (p.To.IsZero() || !p.To.Before(d))
}

// FiscalYear returns the days of a federal fiscal year: October 1 of the
// year before to September 30. Budget requests and the funding line are
// kept per fiscal year; their reports run over these local days.
func FiscalYear(year int) Period {
	return Period{From: Date{Year: year - 1, Month: time.October, Day: 1}, To: Date{Year: year, Month: time.September, Day: 30}}
}

// FiscalYearOf returns the federal fiscal year that moment t falls in, on
// t's calendar in t's location: from October 1 it is the next year's.
func FiscalYearOf(t time.Time) int {
	y, m, _ := t.Date()
	if m >= time.October {
		return y + 1
	}
	return y
}

// Period returns the filter's days. They sit beside the other fields
// rather than in an embedded Period so that code and JSON naming From and
// To stay as they are.
func (f ReportFilter) Period() Period { return Period{From: f.From, To: f.To} }

// Period returns the list filter's days; either end may be open.
func (f Filter) Period() Period { return Period{From: f.From, To: f.To} }

// Period returns the days the schedule is asked for.
func (r ScheduleRequest) Period() Period { return Period{From: r.From, To: r.To} }

// Period returns the days the operation is asked for.
func (r OperationRequest) Period() Period { return Period{From: r.From, To: r.To} }
