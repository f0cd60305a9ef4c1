package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/report"
)

// formatNum writes a number for people: thousands separated, at most one
// decimal, and "–" for a missing rate.
func formatNum(v any) string {
	x, ok := report.Number(v)
	switch {
	case v == nil:
		return "–"
	case !ok:
		return fmt.Sprint(v)
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// localTime writes an instant for people, in the one format every page
// uses: the crossing's local time with its zone ("2026-03-01 14:05 CST"),
// so that a time reads the same for a supervisor at the crossing and an
// analyst at headquarters; "never" for a zero time (a node that has not
// synced yet).
func localTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// count reads a report value that counts something.
func count(v any) int {
	n, _ := report.Number(v)
	return int(n)
}

func pctOf(v any) string {
	if f, ok := v.(float64); ok {
		return formatNum(100*f) + "%"
	}
	return "–"
}

// title capitalises the first letter.
func title(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func firstOfNextMonth(d outbound.Date) outbound.Date {
	return outbound.DateOf(outbound.Date{Year: d.Year, Month: d.Month, Day: 1}.Time(time.UTC).AddDate(0, 1, 0))
}
