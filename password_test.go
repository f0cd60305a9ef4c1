package outbound_test

import (
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// The rule every chosen password keeps, with the reason a person reads.
func TestValidatePassword(t *testing.T) {
	for _, c := range []struct{ user, password, says string }{
		{"olga", "saguaro lantern kettle 41", ""},
		{"olga", "ñandú cascabel tortuga", ""},                      // counted in characters, not bytes
		{"olga", "short", "at least 12 characters; this one has 5"}, // says how far off
		{"olga", "ñandúñandú1", "at least 12 characters; this one has 11"},
		{"olga", strings.Repeat("x", 257), "at most 256"},
		{"olga", "my name is OLGA, ok?", "user name"},
		{"ab", "Abracadabra lantern 41", "user name"},
		{"olga", "1qaz2wsx3edc", "most common passwords"},
		{"olga", "QWERTYUIOP123", "most common passwords"}, // any case
		{"olga", "abcdefghijklmnop", "sequence"},
		{"olga", "winterwinter2026", "too easy to guess"},
		{"olga", "lantern\xffkettle saguaro", "UTF-8"},
	} {
		err := outbound.ValidatePassword(c.user, c.password)
		if c.says == "" {
			if err != nil {
				t.Errorf("%q for %s: %v; want it taken", c.password, c.user, err)
			}
			continue
		}
		if outbound.ErrorField(err) != "new_password" || !strings.Contains(outbound.ErrorMessage(err), c.says) {
			t.Errorf("%q for %s: %v; want new_password refused saying %q", c.password, c.user, err, c.says)
		}
	}
}
