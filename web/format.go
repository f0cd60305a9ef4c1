package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// formatNum writes a number for people: thousands separated, at most one
// decimal, and "–" for a missing rate.
func formatNum(v any) string {
	var x float64
	switch n := v.(type) {
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	case float64:
		x = n
	case *float64:
		if n == nil {
			return "–"
		}
		x = *n
	case nil:
		return "–"
	default:
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

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func pctOf(v any) string {
	if f, ok := v.(float64); ok {
		return formatNum(100*f) + "%"
	}
	return "–"
}

func float64Cmp(a, b any) int {
	x, _ := a.(float64)
	y, _ := b.(float64)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func title(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func firstOfNextMonth(d outbound.Date) outbound.Date {
	return outbound.DateOf(outbound.Date{Year: d.Year, Month: d.Month, Day: 1}.Time(time.UTC).AddDate(0, 1, 0))
}
