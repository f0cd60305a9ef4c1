package bts

import (
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// stateNames are the abbreviations of border states that releases before
// 2019 give (State Abbreviation), and the names later ones give.
var stateNames = map[string]string{
	"AK": "Alaska", "AZ": "Arizona", "CA": "California", "ID": "Idaho", "ME": "Maine",
	"MI": "Michigan", "MN": "Minnesota", "MT": "Montana", "NH": "New Hampshire",
	"NM": "New Mexico", "NY": "New York", "ND": "North Dakota", "OH": "Ohio",
	"TX": "Texas", "VT": "Vermont", "WA": "Washington", "MA": "Massachusetts",
	"PA": "Pennsylvania",
}

// monthLayouts are the ways releases have written a row's month: today's;
// the 2019–2020 exports' timestamps, always the first of the month at
// midnight; and the ISO month of some older releases.
var monthLayouts = []string{"Jan 2006", "01/02/2006 03:04:05 PM", "2006-01"}

// The years a month may fall in: the series starts in 1996.
const minYear, maxYear = 1990, 2099

// parseMonth reads a month in any of monthLayouts.
func parseMonth(s string) (outbound.Date, bool) {
	for _, layout := range monthLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if t.Day() != 1 || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Year() < minYear || t.Year() > maxYear {
			return outbound.Date{}, false
		}
		return outbound.DateOf(t), true
	}
	return outbound.Date{}, false
}

// parseCount reads a whole number from 0 to MaxValue: digits, with or
// without commas between thousands ("1,234"; older releases have them).
// A comma elsewhere ("1,23,4", "12,34") is refused rather than guessed at:
// it is no thousands separator, and dropping it would invent a count.
func parseCount(s string) (int64, bool) {
	groups := strings.Split(s, ",")
	var n int64
	for i, g := range groups {
		switch {
		case g == "",
			i > 0 && len(g) != 3,
			len(groups) > 1 && i == 0 && (len(g) > 3 || g[0] == '0'):
			return 0, false
		}
		for j := 0; j < len(g); j++ {
			c := g[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int64(c-'0')
			if n > MaxValue {
				return 0, false
			}
		}
	}
	return n, true
}

// landBorders says where a port's point must be; the bounds also catch a
// point whose latitude and longitude were swapped, as the two forms of
// Location write them in opposite orders.
const landBorders = "on a U.S. land border (latitude 24 to 72, longitude -170 to -60)"

func onLandBorders(lat, lon float64) bool {
	return lat >= 24 && lat <= 72 && lon >= -170 && lon <= -60 // false for NaN
}

// parsePoint reads a Location: "POINT (lon lat)" (2019 and later), or
// "(lat, lon)", alone or as the last line after the port's address
// (releases before 2019).
func parsePoint(s string) (lat, lon float64, ok bool) {
	var a, b string
	if len(s) >= 5 && strings.EqualFold(s[:5], "POINT") {
		inner, ok := parens(strings.TrimSpace(s[5:]))
		f := strings.Fields(inner)
		if !ok || len(f) != 2 {
			return 0, 0, false
		}
		b, a = f[0], f[1]
	} else {
		i := strings.LastIndexByte(s, '(')
		if i < 0 {
			return 0, 0, false
		}
		inner, ok := parens(s[i:])
		if !ok {
			return 0, 0, false
		}
		if a, b, ok = strings.Cut(inner, ","); !ok {
			return 0, 0, false
		}
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || !onLandBorders(lat, lon) {
		return 0, 0, false
	}
	return lat, lon, true
}

// parens returns what is between a string's opening and closing parentheses.
func parens(s string) (string, bool) {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return "", false
	}
	return s[1 : len(s)-1], true
}
