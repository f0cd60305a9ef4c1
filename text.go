package outbound

import (
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what one record may hold. Each is far above what a real lane,
// crossing or day needs, so that only a typo or a hostile client meets
// it; docs/security.md gives the reasons.
const (
	// MaxOfficers is the most badges one inspection lists: a large
	// team at a truck or a rail inspection is about ten.
	MaxOfficers = 20
	// MaxSeizures is the most seizure lines one inspection lists: one
	// per kind of goods and unit is rarely more than a handful.
	MaxSeizures = 50
	// MaxHazards is the most hazards one survey lists.
	MaxHazards = 50
	// MaxSeizureQuantity is the largest quantity of one seizure line:
	// a billion dollars, rounds or grams is beyond any seizure on record.
	MaxSeizureQuantity = 1e9
	// MaxSeizureValueUSD is the largest value of one seizure line, in
	// dollars: outbound seizures of five years came to $58M in all.
	MaxSeizureValueUSD = 1e9
	// MaxDailyExits is the largest exit count of one crossing, day and
	// modality: the busiest month in the BTS data since 1996 is El Paso's
	// 4.4 million personal vehicle passengers (March 2001), 143,000 a day;
	// San Ysidro's busiest (July 2024) is 68,000 a day.
	MaxDailyExits = 1_000_000
)

// The window every record's time must be in. Earlier is a typo or a
// device whose clock was never set; later than a day ahead of the
// server's clock is a device clock that is badly wrong, and would stay a
// crossing's latest record for good.
const (
	// EarliestYear is the first year a record may be dated in.
	EarliestYear = 2000
	// MaxClockAhead is how far ahead of the server's clock an
	// inspection may start: a day, for time zones and drifting clocks.
	MaxClockAhead = 24 * time.Hour
	// MaxInspectionLength is the longest one inspection lasts: longer is
	// an end time typed on the wrong day.
	MaxInspectionLength = 24 * time.Hour
)

// Limits on free text, in characters.
const (
	maxNotes  = 4000 // notes of an inspection or a staffing record
	maxReason = 500  // an edit's reason, a count's method, a funding note
	maxLabel  = 200  // a hazard, a rule's name, who decided
	maxUnit   = 16   // a seizure's unit: USD, rounds, kg
)

// checkText reports what is wrong with a string a client sent for field:
// it must be UTF-8 (PostgreSQL refuses anything else), hold no control
// character (PostgreSQL refuses NUL, and the others hide text from the
// people who read the record), and hold at most max characters. Free text
// of several lines, such as notes, may also hold tabs and line breaks.
// Everything a client says in words goes through it, so that a record
// one database takes the other takes too.
func checkText(field, s string, max int, lines bool) *Error {
	if len(s) > max*utf8.UTFMax { // too long whatever it holds: refuse before reading it
		return Errorf(EINVALID, field, "%s is longer than %d characters", field, max)
	}
	n := 0
	for i, r := range s {
		n++
		switch {
		case r == utf8.RuneError && !validRuneAt(s, i):
			return Errorf(EINVALID, field, "%s is not valid UTF-8 text (byte %d)", field, i)
		case lines && (r == '\t' || r == '\n' || r == '\r'):
		case unicode.IsControl(r):
			allowed := "no control characters"
			if lines {
				allowed = "no control characters but tabs and line breaks"
			}
			return Errorf(EINVALID, field, "%s holds the control character %U at character %d; text here has %s", field, r, n, allowed)
		}
	}
	if n > max {
		return Errorf(EINVALID, field, "%s is longer than %d characters", field, max)
	}
	return nil
}

// validRuneAt reports whether the U+FFFD that ranging over s found at
// byte i is really written there, rather than a bad byte.
func validRuneAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size > 1
}

// checkDay reports whether day is in the window every record's date must
// be in: not before 2000, and not more than a day after today where now
// is (callers pass now in the crossing's time zone). A later date is a
// typo or a wrong device clock, and would otherwise stay a crossing's
// latest record for good.
func checkDay(field string, day Date, now time.Time) *Error {
	today := DateOf(now)
	switch {
	case day.IsZero():
		return Errorf(EINVALID, field, "%s is required (YYYY-MM-DD)", field)
	case day.Year < EarliestYear:
		return Errorf(EINVALID, field, "%s %s is before %d", field, day, EarliestYear)
	case today.AddDays(1).Before(day):
		return Errorf(EINVALID, field, "%s %s is more than a day after today (%s at the crossing)", field, day, today)
	}
	return nil
}

// checkCount reports a list longer than max before anything reads its
// items, so that a huge list costs no more than a short one to refuse.
func checkCount(field string, n, max int, what string) *Error {
	if n > max {
		return Errorf(EINVALID, field, "at most %d %s; this lists %d", max, what, n)
	}
	return nil
}

// indexed names the item i of a list field: "officers[3]".
func indexed(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// MaxShown is how many characters of a value a client sent an error
// message repeats: enough to recognise it, never the megabytes a hostile
// client may send in one field, which the answer (and the log) would
// otherwise carry back in full.
const MaxShown = 40

// Shown is a value a client sent, quoted for an error message; past
// MaxShown characters, cut there, with its length.
func Shown[T ~string](s T) string {
	if c, cut := clip(string(s)); cut {
		return fmt.Sprintf("%q… (%d bytes)", c, len(s))
	}
	return strconv.Quote(string(s))
}

// Clip is a name a client sent (a key, a parameter), cut to MaxShown
// characters, "…" marking a cut: how an error's field names it.
func Clip(s string) string {
	if c, cut := clip(s); cut {
		return c + "…"
	}
	return s
}

// clip returns s's first MaxShown characters, and whether it had more.
func clip(s string) (string, bool) {
	n := 0
	for i := range s {
		if n == MaxShown {
			return s[:i], true
		}
		n++
	}
	return s, false
}
