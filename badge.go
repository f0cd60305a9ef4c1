package outbound

import (
	"regexp"
	"strings"
)

// BadgePattern is the form of an officer's badge id. It is written in the
// subset of regular expressions that Go and JavaScript read alike, because
// the server checks records with it and also hands it to the officer's
// form (web renders it into the page), so the two cannot disagree.
const BadgePattern = `^[A-Za-z0-9][A-Za-z0-9-]{0,19}$`

// BadgeRule says BadgePattern in words, for error messages on both sides.
const BadgeRule = "1 to 20 letters, digits or dashes"

// BadgeSeparators is what separates the badges typed into one field:
// whitespace (space, tab, line breaks), commas, semicolons. Like BadgePattern it is handed to the form;
// its character class is spelled out because \s means more characters in
// JavaScript than in Go.
const BadgeSeparators = `[\t\n\v\f\r ,;]+`

var (
	badgePattern    = regexp.MustCompile(BadgePattern)
	badgeSeparators = regexp.MustCompile(BadgeSeparators)
)

// ValidBadge reports whether b is a well-formed badge id.
func ValidBadge(b string) bool { return badgePattern.MatchString(b) }

// ParseBadges reads the badges typed into one form field, in capitals
// (the forms store what the officer typed so; the API and imports store
// badges as sent), without empty ones. It
// does not judge them: Validate says which is malformed or listed twice.
func ParseBadges(s string) []string {
	var badges []string
	for _, b := range badgeSeparators.Split(strings.ToUpper(s), -1) {
		if b != "" {
			badges = append(badges, b)
		}
	}
	return badges
}

// badgeError is the one message for a malformed badge.
func badgeError(field, b string) *Error {
	return Errorf(EINVALID, field, "badge %s must be %s", Shown(b), BadgeRule)
}
