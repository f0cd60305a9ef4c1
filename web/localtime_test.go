package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// Every time a page shows is in the crossing's local time with its zone,
// in one format: Laredo's inspection started at 14:05 Central Standard
// Time, and reached headquarters on the server's clock, 12:00 UTC on
// 2026-03-10, after the switch to daylight time.
func TestTimesAreTheCrossingsLocalTime(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		in := inspectionJSON(uuid.New())
		if status, body := a.do("POST", "/api/v1/inspections", in); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		refused := setApart(t, a, "started_at: more than a day in the future")
		anyTime := regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\S*)( [A-Z]{3})?`)
		for path, want := range map[string][]string{
			"/crossings/2304?from=2026-03-01&to=2026-03-07": {">2026-03-01 14:05 CST<"},
			"/inspections/" + in["id"].(string):             {`<td data-label="Received">2026-03-10 07:00 CDT</td><td data-label="Started (local)">2026-03-01 14:05 CST</td>`},
			"/supervisor":                                   {"set apart 2026-03-10 07:00 CDT: Start time", refused.String()},
		} {
			status, page := a.page(path)
			for _, w := range want {
				if status != 200 || !strings.Contains(page, w) {
					t.Errorf("%s lacks %q: %d", path, w, status)
				}
			}
			// A start time to correct is in the input's own format (in the crossing's time).
			page = regexp.MustCompile(`type="datetime-local" value="[^"]*"`).ReplaceAllString(page, "")
			for _, m := range anyTime.FindAllStringSubmatch(page, -1) {
				if m[1] != "" || m[2] != "" || (m[3] != " CST" && m[3] != " CDT") {
					t.Errorf("%s shows a time as %q; want YYYY-MM-DD HH:MM and Laredo's zone", path, m[0])
				}
			}
		}
	})
}
